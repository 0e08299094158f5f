import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { ConfigError } from '../../stack/config';
import { RUNNABLE_KINDS, type ConnectionKind } from '../../stack/connection-spec';
import type { ConnectionCheckReport, ConnectionReloadReport } from '../../workflows/contracts/connections';
import { connectionHealth, recordConnectionCheck, type ConnectionHealth } from '../pos/connection-checks';
import { blockConnection, isBlocked, recordProbe, unblockConnection } from '../pos/connection-blocks';
import { checkWooStore } from './connection-check';
import type { WooClient } from './client';
import type { WooClients } from './product-push';
import type { EcomRegistry } from '../ecom/registry';
import { checkEcomConnection } from '../ecom/connection-check';

/** Set by npm start (stack/connection-start.ts): re-reads the configuration and applies it in this process. */
export interface ConnectionsReloader {
  current?: () => Promise<ConnectionReloadReport>;
}

export interface ConnectionCheckDeps {
  db: Db;
  woo: WooClients & { checkClient?(connectionId: string): WooClient | undefined; has?(connectionId: string): boolean };
  connectionsReloader?: ConnectionsReloader;
  /** Lightspeed eCom connections of this process: an eCom connection is checked against its shop. */
  ecom?: EcomRegistry;
}

const notChecked = { reachable: 'not checked', credentials: 'not checked', read: 'not checked', write: 'not checked' } as const;

/**
 * Checks a connection, records the result, and blocks a connection that fails (no pushes reach it)
 * or lifts the block of one that passes, handing back what waited (issue 8 point 3).
 */
export async function runConnectionCheck(deps: ConnectionCheckDeps, connectionId: string): Promise<ConnectionCheckReport> {
  return (await checkAndRecord(deps, connectionId)).report;
}

/** The check, and how many waiting products passing it handed back to their push. */
export async function checkAndRecord(deps: ConnectionCheckDeps, connectionId: string): Promise<{ report: ConnectionCheckReport; requeued: number }> {
  const row = await deps.db('connections').where({ id: connectionId }).first('kind', 'active');
  if (!row) return { requeued: 0, report: { connectionId, ok: false, steps: { ...notChecked }, problem: `there is no connection ${connectionId}` } };
  if (!RUNNABLE_KINDS.includes(row.kind as ConnectionKind)) {
    const problem = `the ${row.kind} channel is not available yet: the connection is stored and nothing is synced`;
    return { requeued: 0, report: { connectionId, ok: false, unavailable: true, steps: { ...notChecked }, problem } };
  }
  const report = row.kind === 'ecom' ? await checkEcomConnection(deps.ecom, connectionId) : await checkWooConnection(deps, connectionId);
  if (!row.active && report.ok) report.problem = 'the store passes the check, but the connection is deactivated (not in the configuration)';
  await recordConnectionCheck(deps.db, report);
  // A connection already blocked keeps the reason it was blocked for; the probe's finding is recorded beside it.
  if (report.ok) return { report, requeued: (await unblockConnection(deps.db, connectionId)).requeued };
  if (await isBlocked(deps.db, connectionId)) await recordProbe(deps.db, connectionId, `check failed: ${report.problem}`);
  else await blockConnection(deps.db, connectionId, `check failed: ${report.problem}`);
  return { report, requeued: 0 };
}

async function checkWooConnection(deps: ConnectionCheckDeps, connectionId: string): Promise<ConnectionCheckReport> {
  const client = deps.woo.has && !deps.woo.has(connectionId) ? undefined : (deps.woo.checkClient?.(connectionId) ?? deps.woo.get(connectionId));
  return client
    ? checkWooStore(client, connectionId).finally(() => { if (deps.woo.checkClient) client.close(); })
    : { connectionId, ok: false, steps: { ...notChecked }, problem: `no credentials are configured for ${connectionId} in this process (it is not in the connections file or WOO_*)` };
}

export function createConnectionCheckActivities(deps: ConnectionCheckDeps) {
  return {
    /** `possync connections test <id>` and the start check. */
    async checkConnection(input: { connectionId: string }): Promise<ConnectionCheckReport> {
      return runConnectionCheck(deps, input.connectionId);
    },

    /** `possync connections`: every connection with its health. */
    async listConnectionHealth(): Promise<ConnectionHealth[]> {
      return connectionHealth(deps.db);
    },

    /** `possync connections reload`: the process that started the connections reads its configuration again. */
    async reloadConnections(): Promise<ConnectionReloadReport> {
      const reload = deps.connectionsReloader?.current;
      if (!reload) throw ApplicationFailure.nonRetryable('this worker was not started by npm start with a connection configuration: restart it to apply changes', 'ConnectionsNotReloadable');
      try {
        return await reload();
      } catch (err) {
        // A file that does not validate stays refused until it is edited: say why, at once.
        if (err instanceof ConfigError) throw ApplicationFailure.nonRetryable(err.message, 'ConnectionsInvalid');
        throw err;
      }
    },
  };
}
