import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { SA } from './contracts/search-attributes';
import type { Activities } from '../activities';
import type { ConnectionHealth } from '../activities/pos/connection-checks';
import type { ConnectionCheckReport, ConnectionReloadReport } from './contracts/connections';

// A check answers now: the report is the answer, a worker lost mid-check is retried once.
const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 2 } });

/** Issue 9 / issue 8.3: reachable, key accepted, read and write (connection-check/<id>); the CLI and npm start wait for it. */
export async function connectionCheck(input: { connectionId: string }): Promise<ConnectionCheckReport> {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  const report = await acts.checkConnection(input);
  setCurrentDetails(report.ok ? 'passed: reachable, key accepted, read and write' : `failed: ${report.problem}`);
  return report;
}

/** `possync connections`: every connection and its health, read in the worker (the CLI never reads the database). */
export async function connectionsOverview(): Promise<ConnectionHealth[]> {
  return acts.listConnectionHealth();
}

/** `possync connections reload`: the running npm start applies its connection configuration again. */
export async function connectionsReload(): Promise<ConnectionReloadReport> {
  return acts.reloadConnections();
}
