import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { Db } from '../../db/connection';
import type { EcomDrainResult } from '../../workflows/contracts/ecom-writer';
import { blockConnection, blockReason } from '../pos/connection-blocks';
import { clearPushFailures, recordPushFailures, tryRecordPushFailures } from '../pos/push-failures';
import { writeSyncLog, type SyncLogEntry } from '../pos/sync-log';
import { withHeartbeats } from '../heartbeat';
import { EcomApiError, toEcomActivityFailure } from './errors';
import { ecomClientFor, writeEcomProduct, type EcomWriteOutcome } from './product-writer';
import type { EcomRegistry } from './registry';
import { deferEcom, dequeueEcom, ecomBacklog, lastEcomSeq, readEcomQueue, type EcomQueued } from './write-queue';

/** The failure type a drain throws when the shop refuses the connection's credentials (the writer then waits for a probe). */
export const CONNECTION_BLOCKED = 'ConnectionBlocked';

export interface EcomDrainDeps {
  db: Db;
  ecom?: EcomRegistry;
}

const WRITTEN = new Set<EcomWriteOutcome['status']>(['created', 'written', 'hidden', 'deleted']);

/**
 * One call of an eCom writer: writes up to `limit` queued products of the connection (stock rows
 * first), one at a time through the shop's budget, and removes from the queue what was handled. A
 * refusal is recorded against its product (push_failures, sync_log) and the call carries on; a fault
 * of the shop ends the call after the products handled so far are dequeued, for Temporal to retry the
 * rest; a fault of one product alone sends it behind the others (`deferred`), for a later round.
 */
export async function drainEcomQueue(deps: EcomDrainDeps, input: { connectionId: string; upToSeq?: string; limit: number }): Promise<EcomDrainResult> {
  const { db } = deps;
  const { connectionId } = input;
  const block = await blockReason(db, connectionId);
  if (block !== undefined) throw ApplicationFailure.nonRetryable(block, CONNECTION_BLOCKED);
  const connection = await db('connections').where({ id: connectionId }).first('kind', 'active');
  if (!connection || connection.kind !== 'ecom' || !connection.active) {
    throw ApplicationFailure.nonRetryable(`${connectionId} is not an active eCom connection: its queued writes wait until it is configured again`, 'EcomConnectionInactive');
  }
  if (!deps.ecom?.get(connectionId)) {
    // Another worker (npm start's, or one started with the connections file) has it: retried there.
    throw ApplicationFailure.retryable(`no eCom connection "${connectionId}" is configured in this worker`, 'EcomConnectionUnknown');
  }
  const upToSeq = input.upToSeq ?? (await lastEcomSeq(db, connectionId));
  const queued = await readEcomQueue(db, connectionId, input.limit, upToSeq);
  const result: EcomDrainResult = { upToSeq, pushed: 0, unchanged: 0, refused: 0, requests: 0, writes: 0, more: queued.length === input.limit, backlog: { stock: 0, catalog: 0 } };
  if (queued.length === 0) return { ...result, backlog: await ecomBacklog(db, connectionId) };

  const ctx = Context.current();
  const client = ecomClientFor(deps.ecom, connectionId, ctx.cancellationSignal, db);
  const workflowId = ctx.info.workflowExecution?.workflowId ?? null;
  const done: EcomQueued[] = [];
  const deferred: EcomQueued[] = [];
  const log: SyncLogEntry[] = [];
  let fault: unknown;
  try {
    await withHeartbeats(async () => {
      for (const row of queued) {
        let outcome: EcomWriteOutcome;
        try {
          outcome = await writeEcomProduct({ db, client, connectionId, heartbeat: () => ctx.heartbeat(), signal: ctx.cancellationSignal }, row.productId, { stockOnly: row.stockOnly });
        } catch (err) {
          await tryRecordPushFailures(db, [{ connectionId, productId: row.productId, action: actionOf(row), message: messageOf(err), willRetry: true }]);
          if (err instanceof EcomApiError || ctx.cancellationSignal.aborted) {
            // The shop (or this call) is at fault: every product would wait on it, so Temporal retries the rest.
            fault = err;
            return;
          }
          // A fault of this product alone (e.g. its image's host is down): it waits behind the others, so it
          // never holds up the shop's other writes (stock included), and is tried again in a later round.
          deferred.push(row);
          continue;
        }
        result.requests += outcome.requests;
        result.writes += outcome.writes;
        done.push(row);
        if (outcome.status === 'refused') {
          result.refused += 1;
          log.push({ connectionId, productId: row.productId, workflowId, action: actionOf(row), status: 'failed', message: `refused by the shop: ${outcome.message ?? outcome.failureType ?? 'refused'}` });
        } else {
          if (WRITTEN.has(outcome.status)) result.pushed += 1;
          else result.unchanged += 1;
          if (outcome.status !== 'unchanged') {
            log.push({
              connectionId, productId: row.productId, workflowId, action: actionOf(row), status: outcome.status === 'skipped' ? 'skipped' : 'ok',
              message: `${outcome.status} (${row.reason}${row.stockOnly ? ', stock only' : ''}; ${outcome.writes} writes)${outcome.message ? `: ${outcome.message}` : ''}`,
            });
          }
        }
      }
    });
  } finally {
    client.close();
  }
  await db.transaction(async (trx) => {
    await writeSyncLog(trx, log);
    const refused = log.filter((l) => l.status === 'failed');
    await recordPushFailures(trx, refused.map((l) => ({ connectionId, productId: l.productId!, action: l.action, message: l.message ?? 'refused', willRetry: false })));
    const refusedIds = new Set(refused.map((l) => l.productId!));
    await clearPushFailures(trx, connectionId, done.map((d) => d.productId).filter((id) => !refusedIds.has(id)));
    await dequeueEcom(trx, connectionId, done);
    await deferEcom(trx, connectionId, deferred);
  });
  result.deferred = deferred.length;
  if (fault !== undefined) throw await asActivityFailure(db, connectionId, fault, queued.filter((q) => !done.includes(q)).map((q) => q.productId));
  return { ...result, backlog: await ecomBacklog(db, connectionId) };
}

const actionOf = (row: EcomQueued): string => (row.stockOnly ? 'ecom stock' : 'ecom write');

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Refused credentials block the connection (its writer waits for a probe); anything else goes to Temporal's retry. */
async function asActivityFailure(db: Db, connectionId: string, err: unknown, waiting: number[]): Promise<ApplicationFailure> {
  if (err instanceof EcomApiError && err.kind === 'auth') {
    const reason = `the shop refuses the credentials of ${connectionId}: ${err.apiMessage}`;
    await blockConnection(db, connectionId, reason);
    await tryRecordPushFailures(db, waiting.map((productId) => ({ connectionId, productId, action: 'ecom write', message: reason, willRetry: true })));
    return ApplicationFailure.nonRetryable(reason, CONNECTION_BLOCKED);
  }
  return toEcomActivityFailure(err);
}
