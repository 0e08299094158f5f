/** Text of the failure view shared by `possync failures` and `possync status` (issue 7 point 12). */

export interface FailingPush {
  connection_id: string;
  product_id: number;
  sku: string;
  action: string;
  since: string;
  last_attempt_at: string;
  attempts: number;
  last_error: string;
  will_retry: boolean;
  connection_blocked: boolean;
}

export interface BlockedConnection {
  connection_id: string;
  blocked_at: string;
  reason: string;
  last_probe_at: string | null;
  last_probe_error: string | null;
}

export interface Reconciliation {
  ran_at: string;
  stranded: number;
  found_last_day: number;
}

export function failingLines(rows: FailingPush[]): string[] {
  return rows.map((f) => {
    const retry = f.connection_blocked ? 'waits for the connection to be unblocked' : f.will_retry ? 'retrying' : 'not retried (refused): `possync retry` after a fix';
    return `  ${f.sku} (product ${f.product_id}) on ${f.connection_id}: ${f.action} failing since ${f.since}, ${f.attempts} attempt(s), ${retry}\n      last error: ${f.last_error}`;
  });
}

export function blockedLines(rows: BlockedConnection[]): string[] {
  return rows.map((b) =>
    `  ${b.connection_id} BLOCKED since ${b.blocked_at}: ${b.reason}` +
    `${b.last_probe_at ? `\n      last probe ${b.last_probe_at}: ${b.last_probe_error ?? 'ok'}` : ''}` +
    `\n      resumes by itself when the credentials work; \`possync connections unblock ${b.connection_id}\` retries now`);
}

export function reconciliationLine(r: Reconciliation | null): string {
  return r
    ? `reconciliation: last run ${r.ran_at} re-queued ${r.stranded} stranded push(es); ${r.found_last_day} in the last day`
    : 'reconciliation: not run yet';
}
