import { ActivityFailure, ApplicationFailure, proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});
// The restore heartbeats while its transaction runs: a killed worker costs seconds (issue 7.9).
const restoreActs = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/**
 * One order's read and apply takes seconds: a worker that dies during it should cost a minute, not
 * the 10 minutes a restore may need. Safe to repeat (issue 7.1), so retried without limit.
 */
const syncActs = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// The poll heartbeats every page and on a timer: a killed worker costs seconds (issue 7 point 9).
const poll = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** M-B3: stock back as the backup has it (id restore-backup/<backupId>). */
export async function restoreBackup(input: { backupId: string }): Promise<{ levels: number; orders: number; products: number }> {
  setCurrentDetails(`Restoring stock from ${input.backupId}`);
  const r = await restoreActs.restoreBackup(input).catch((err: unknown) => {
    // Issue 7.8: a backup that does not exist ends the workflow at once with the activity's own words.
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'BackupNotFound') {
      setCurrentDetails(err.cause.message);
      throw ApplicationFailure.nonRetryable(err.cause.message, 'BackupNotFound');
    }
    throw err;
  });
  setCurrentDetails(`Restored ${r.levels} stock levels from ${input.backupId}; ${r.products} products will be pushed`);
  return r;
}

/** M-B8 beyond: chosen orders applied again as the shop has them now; never deducts twice. */
export async function reimportOrders(input: { connectionId: string; orderIds: number[] }) {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  setCurrentDetails(`Re-importing orders ${input.orderIds.join(', ')}`);
  return acts.reimportOrders(input);
}

/** M-B1: one order from a webhook (id order-sync/<connection>/<order>/<delivery hash>), read fresh from the shop. */
export async function orderSync(input: { connectionId: string; orderId: number }) {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  return syncActs.syncOrders({ connectionId: input.connectionId, orderIds: [input.orderId] });
}

/** M-B1: the scheduled catch-up (Schedule order-poll/<connection>) for webhooks that never came. */
export async function orderPoll(input: { connectionId: string }) {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  const r = await poll.pollOrders(input);
  setCurrentDetails(`Polled ${r.orders} orders modified since ${r.modifiedAfter}`);
  return r;
}
