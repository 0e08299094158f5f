import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';

const DIR = path.join(__dirname, 'replay', 'histories');

/**
 * Workflow code must replay the histories that earlier versions wrote. The histories are
 * recorded from real runs (`RECORD_HISTORIES=1 npm test` writes them) and checked in.
 */
describe('replay of recorded workflow histories', function () {
  this.timeout(120_000);
  const files = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];

  it('has recorded histories of every workflow type', () => {
    const types = new Set(files.map((f) => f.split('--')[0]));
    for (const t of ['productPush', 'batchPush', 'catalogSync']) assert.ok(types.has(t), `no recorded history of ${t}`);
  });

  it('replays every recorded history without a determinism error', async () => {
    const histories = files.map((f) => ({
      workflowId: f.replace(/\.json$/, ''),
      history: JSON.parse(fs.readFileSync(path.join(DIR, f), "utf8")) as unknown,
    }));
    const results = Worker.runReplayHistories({ workflowsPath: require.resolve('../workflows') }, histories);
    let replayed = 0;
    for await (const r of results) {
      assert.equal(r.error, undefined, `${r.workflowId}: ${r.error?.message}`);
      replayed += 1;
    }
    assert.equal(replayed, files.length);
  });
});

describe('replay test guard', function () {
  this.timeout(120_000);
  it('fails a history whose events do not match the workflow code', async () => {
    const file = fs.readdirSync(DIR).find((f) => f.startsWith('productPush--'));
    assert.ok(file, 'a productPush history is recorded');
    const history = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    // The same events claimed by another workflow type cannot replay.
    history.events[0].workflowExecutionStartedEventAttributes.workflowType.name = 'catalogSync';
    const results = Worker.runReplayHistories({ workflowsPath: require.resolve('../workflows') }, [{ workflowId: 'tampered', history }]);
    let error: Error | undefined;
    for await (const r of results) error = r.error;
    assert.ok(error, 'the tampered history was reported');
  });
});
