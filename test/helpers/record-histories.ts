import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { findTemporalCli } from '../../stack/temporal-dev-server';

/**
 * Saves the histories of closed workflows of this test run (two per workflow type and
 * ending) to test/replay/histories, for the replay test. Only with RECORD_HISTORIES=1.
 * The CLI writes the proto JSON that historyFromJSON reads back.
 */
export async function recordHistories(client: Client, address: string): Promise<void> {
  const dir = path.join(__dirname, '..', 'replay', 'histories');
  fs.mkdirSync(dir, { recursive: true });
  const cli = findTemporalCli(process.env.TEMPORAL_CLI);
  const taken = new Map<string, number>();
  for await (const wf of client.workflow.list({ query: 'ExecutionStatus != "Running"' })) {
    const key = `${wf.type}--${wf.status.name.toLowerCase()}`;
    const n = taken.get(key) ?? 0;
    if (n >= 2) continue;
    taken.set(key, n + 1);
    const json = execFileSync(cli, ['workflow', 'show', '--address', address, '-w', wf.workflowId, '-r', wf.runId, '-o', 'json'], { maxBuffer: 64 << 20 });
    fs.writeFileSync(path.join(dir, `${key}-${n + 1}.json`), json);
  }
}
