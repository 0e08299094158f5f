import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { findTemporalCli } from '../../stack/temporal-dev-server';

export const HISTORY_DIR = path.join(__dirname, '..', 'replay', 'histories');

type HistoryEvent = Record<string, any> & { eventType: string };

/**
 * What a history shows, most telling first: the replay set must cover these paths, not only
 * runs that completed (issue 7 point 15).
 */
export function scenarioOf(status: string, events: HistoryEvent[]): string {
  const has = (type: string, pred: (e: HistoryEvent) => boolean = () => true) =>
    events.some((e) => e.eventType === `EVENT_TYPE_${type}` && pred(e));
  const activity = (name: string) => (e: HistoryEvent) => e.activityTaskScheduledEventAttributes?.activityType?.name === name;
  const signal = (re: RegExp) => (e: HistoryEvent) => re.test(e.workflowExecutionSignaledEventAttributes?.signalName ?? '');
  const update = (re: RegExp) => (e: HistoryEvent) => re.test(e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '');
  if (has('ACTIVITY_TASK_SCHEDULED', activity('deleteRemoteProduct'))) return 'compensated';
  if (has('ACTIVITY_TASK_SCHEDULED', activity('probeConnection')) || has('ACTIVITY_TASK_SCHEDULED', activity('unblockConnection'))) return 'blocked';
  if (has('WORKFLOW_EXECUTION_SIGNALED', signal(/pause/i)) || has('WORKFLOW_EXECUTION_UPDATE_ACCEPTED', update(/pause/i))) return 'paused';
  if (status === 'continued_as_new') return 'continued-as-new';
  if (status === 'failed') return 'failed';
  if (has('ACTIVITY_TASK_FAILED') || has('ACTIVITY_TASK_TIMED_OUT')) return 'failed-step';
  return status;
}

/** The code version a recording belongs to: REPLAY_VERSION, or the commit it was recorded from. */
function codeVersion(): string {
  if (process.env.REPLAY_VERSION) return process.env.REPLAY_VERSION.replace(/[^A-Za-z0-9._-]/g, '_');
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname }).toString().trim();
  } catch {
    return 'unversioned';
  }
}

/**
 * Saves one history of closed workflows per workflow type and scenario of this test run to
 * test/replay/histories/<type>--<scenario>--<version>.json, for the replay test. Only with
 * RECORD_HISTORIES=1. A file that exists is never overwritten: older versions stay, and the
 * replay test proves the current code still replays them. The CLI writes the proto JSON that
 * historyFromJSON reads back.
 */
export async function recordHistories(client: Client, address: string): Promise<string[]> {
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  const cli = findTemporalCli(process.env.TEMPORAL_CLI);
  const version = codeVersion();
  const written: string[] = [];
  const seen = new Set<string>();
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus != "Running"' })) {
    const json = execFileSync(cli, ['workflow', 'show', '--address', address, '-w', wf.workflowId, '-r', wf.runId, '-o', 'json'], { maxBuffer: 64 << 20 });
    const events = (JSON.parse(json.toString()) as { events: HistoryEvent[] }).events;
    const name = `${wf.type}--${scenarioOf(wf.status.name.toLowerCase(), events)}--${version}.json`;
    if (seen.has(name)) continue;
    seen.add(name);
    const file = path.join(HISTORY_DIR, name);
    if (fs.existsSync(file)) continue;
    fs.writeFileSync(file, json);
    written.push(name);
  }
  return written;
}
