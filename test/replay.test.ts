import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { scenarioOf } from './helpers/record-histories';

const DIR = path.join(__dirname, 'replay', 'histories');
const NAME = /^(?<type>[A-Za-z]+)--(?<scenario>[a-z-]+)--(?<version>[A-Za-z0-9._-]+)\.json$/;

const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];
const load = (f: string) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as { events: { eventType: string }[] };

function statusOf(events: { eventType: string }[]): string {
  const last = events[events.length - 1]!.eventType.replace('EVENT_TYPE_WORKFLOW_EXECUTION_', '').toLowerCase();
  return last === 'continued_as_new' ? 'continued_as_new' : last;
}

/**
 * Workflow code must replay the histories that earlier versions wrote (issue 7 point 15). They
 * are recorded from real runs (`RECORD_HISTORIES=1 npm test`), named <type>--<scenario>--<version>,
 * never overwritten, and checked in.
 */
describe('replay of recorded workflow histories', function () {
  this.timeout(180_000);

  it('names every history by workflow type, scenario and code version', () => {
    for (const f of files) assert.match(f, NAME, `${f} is not named <type>--<scenario>--<version>.json`);
  });

  it('has histories of every push workflow, and of compensation, a continue-as-new chain, a failed step and a paused import', () => {
    const parsed = files.map((f) => f.match(NAME)!.groups!);
    const types = new Set(parsed.map((g) => g.type));
    for (const t of ['productPush', 'batchPush', 'catalogSync', 'orderImport']) assert.ok(types.has(t), `no recorded history of ${t}`);
    const has = (type: string, scenarios: string[]) => parsed.some((g) => g.type === type && scenarios.includes(g.scenario!));
    assert.ok(has('productPush', ['compensated']), 'a compensated push saga');
    assert.ok(has('orderImport', ['continued-as-new']), 'a continue-as-new chain');
    assert.ok(parsed.some((g) => ['failed', 'failed-step', 'blocked'].includes(g.scenario!)), 'a failed step');
    assert.ok(has('orderImport', ['paused']), 'a paused import');
    // Issue 8 point 7: the long-lived poll across continue-as-new and through a shop outage, beside the one-shot runs of its Schedule.
    assert.ok(has('orderPoll', ['continued-as-new']), 'a long-lived order poll continued as new');
    assert.ok(has('orderPoll', ['failed-step']), 'a long-lived order poll that lived through a failed poll');
    assert.ok(has('orderPoll', ['completed']), 'a one-shot order poll of the earlier Schedule');
  });

  it('names each recorded scenario after what its history shows', () => {
    for (const f of files.filter((x) => !x.includes('--legacy-'))) {
      const { scenario } = f.match(NAME)!.groups!;
      const events = load(f).events as Parameters<typeof scenarioOf>[1];
      assert.equal(scenarioOf(statusOf(events), events), scenario, f);
    }
  });

  it('replays every recorded history without a determinism error', async () => {
    const histories = files.map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: load(f) as unknown }));
    const results = Worker.runReplayHistories({ workflowsPath: require.resolve('../workflows') }, histories);
    let replayed = 0;
    for await (const r of results) {
      assert.equal(r.error, undefined, `${r.workflowId}: ${r.error?.message}`);
      replayed += 1;
    }
    assert.equal(replayed, files.length);
  });

  it('replays a batch push that the code before issue 7 failed on a 401: the new behaviour is behind patched()', async () => {
    const file = files.find((f) => /^batchPush--failed--/.test(f));
    assert.ok(file, 'the failed batch push of the earlier code is recorded');
    const history = load(file);
    assert.equal(statusOf(history.events), 'failed');
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, 'old-failed-batch-push');
  });
});

describe('replay test guard', function () {
  this.timeout(120_000);
  it('fails a history whose events do not match the workflow code', async () => {
    const file = files.find((f) => f.startsWith('productPush--'));
    assert.ok(file, 'a productPush history is recorded');
    const history = load(file) as any;
    // The same events claimed by another workflow type cannot replay.
    history.events[0].workflowExecutionStartedEventAttributes.workflowType.name = 'catalogSync';
    const results = Worker.runReplayHistories({ workflowsPath: require.resolve('../workflows') }, [{ workflowId: 'tampered', history }]);
    let error: Error | undefined;
    for await (const r of results) error = r.error;
    assert.ok(error, 'the tampered history was reported');
  });
});
