import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { blockConnection, blockedConnections, unblockConnection } from '../pos/connection-blocks';
import { tryRecordPushFailures } from '../pos/push-failures';
import { checkAndRecord, type ConnectionCheckDeps } from './connection-check-activities';
import { WooApiError } from './errors';

/** The failure type a push throws when the shop refuses the connection's credentials. */
export const CONNECTION_BLOCKED = 'ConnectionBlocked';

/** The failure type toActivityFailure gives a 401/403. */
export const AUTH_FAILURE_TYPE = 'WooApiError.auth';

export function isAuthError(err: unknown): boolean {
  return (err instanceof WooApiError && err.kind === 'auth') || (err instanceof ApplicationFailure && err.type === AUTH_FAILURE_TYPE);
}

/**
 * Marks the connection blocked, records the products that wait for it, and returns the
 * failure to throw: the workflow then waits for the credentials instead of retrying each push.
 */
export async function blockedFailure(db: Db, connectionId: string, err: Error, productIds: number[], action: string): Promise<ApplicationFailure> {
  const reason = `the shop refuses the credentials of ${connectionId}: ${err.message}`;
  await blockConnection(db, connectionId, reason);
  await tryRecordPushFailures(db, productIds.map((productId) => ({ connectionId, productId, action, message: reason, willRetry: true })));
  return ApplicationFailure.nonRetryable(reason, CONNECTION_BLOCKED);
}

export interface ProbeResult {
  connectionId: string;
  ok: boolean;
  /** Products handed back to their push when the block was lifted. */
  requeued: number;
  error?: string;
}

export function createConnectionHealthActivities(deps: ConnectionCheckDeps) {
  const { db } = deps;
  // The whole connection check (reachable, key accepted, read and write): a read-only key blocked at start is not unblocked by a read.
  const probe = async (connectionId: string): Promise<ProbeResult> => {
    const { report, requeued } = await checkAndRecord(deps, connectionId);
    return report.ok ? { connectionId, ok: true, requeued } : { connectionId, ok: false, requeued: 0, error: report.problem ?? 'the check failed' };
  };
  return {
    /** The connection check: when it passes the block is lifted and waiting products are pushed again. */
    async probeConnection(input: { connectionId: string }): Promise<ProbeResult> {
      return probe(input.connectionId);
    },

    /** The operator's word (`possync connections unblock`): lift the block now; the next push proves it. */
    async unblockConnection(input: { connectionId: string }): Promise<{ wasBlocked: boolean; requeued: number }> {
      return unblockConnection(db, input.connectionId);
    },

    /** Every blocked connection probed once (the reconciliation does this for connections no push is waiting on). */
    async probeBlockedConnections(): Promise<ProbeResult[]> {
      const results: ProbeResult[] = [];
      for (const b of await blockedConnections(db)) results.push(await probe(b.connection_id));
      return results;
    },
  };
}
