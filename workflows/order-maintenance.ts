import {
  ActivityFailure, ApplicationFailure, allHandlersFinished, condition, continueAsNew, isCancellation, patched, proxyActivities, setCurrentDetails, setHandler,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import {
  orderPollStatusQuery, setPollIntervalSignal, type OrderPollInput, type OrderPollResult, type OrderPollStatus,
} from './contracts/order-sync';

const POLLS_PER_RUN = 100;

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});
// The restore (while its transaction runs) and the poll (every page and on a timer) heartbeat: a killed worker costs
// seconds (issue 7 points 9, 7.9).
const heartbeating = proxyActivities<Activities>({
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

// The long-lived poll gives up one poll after a few tries: the next poll comes anyway, and the outage is shown meanwhile.
export const loopPoll = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 4 },
});

/** M-B3: stock back as the backup has it (id order-restore/<connection>/<backupId>; restore-backup/<backupId> before). */
export async function restoreBackup(input: { backupId: string; connectionId?: string }): Promise<{ levels: number; orders: number; products: number }> {
  if (input.connectionId !== undefined && patched('restore-connection-attribute')) {
    upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  }
  setCurrentDetails(`Restoring stock from ${input.backupId}`);
  const r = await heartbeating.restoreBackup(input).catch((err: unknown) => {
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
  setCurrentDetails(`Re-importing orders ${input.orderIds.join(', ')} of ${input.connectionId}`);
  const r = await acts.reimportOrders(input);
  const failures = r.failures.map((f) => `; order ${f.orderId}: ${f.reason}`).join('');
  setCurrentDetails(`Re-imported ${r.orders} orders: ${r.imported} imported, ${r.skipped} skipped, ${r.failed} failed, ${r.deducted} units deducted${failures}`);
  return r;
}

/** M-B1: one order from a webhook (id order-sync/<connection>/<order>/<delivery hash>), read fresh from the shop. */
export async function orderSync(input: { connectionId: string; orderId: number }) {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  setCurrentDetails(`Reading order ${input.orderId} from ${input.connectionId} and applying it`);
  const r = await syncActs.syncOrders({ connectionId: input.connectionId, orderIds: [input.orderId] });
  const outcome = r.failed > 0 ? `failed: ${r.failures.map((f) => f.reason).join('; ')}` : r.imported > 0 ? `applied, ${r.deducted} units deducted` : 'skipped (nothing to change)';
  setCurrentDetails(`Order ${input.orderId}: ${outcome}`);
  return r;
}

/**
 * M-B1: the catch-up for webhooks that never came. With `everySeconds` it is one long-lived
 * workflow per connection (order-poll/<connection>, issue 8 point 7): it polls, sleeps, carries its
 * cursor over continue-as-new, and a shop outage is shown and tried again at the next poll, never a
 * failure. Without it, one poll (the Schedule of earlier versions started these).
 */
export async function orderPoll(input: OrderPollInput): Promise<OrderPollResult> {
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  if (input.everySeconds === undefined || !patched('order-poll-long-lived')) {
    setCurrentDetails(`Polling the orders of ${input.connectionId} once`);
    const r = await heartbeating.pollOrders({ connectionId: input.connectionId });
    setCurrentDetails(`Polled ${r.orders} orders modified since ${r.modifiedAfter}`);
    return r;
  }
  return pollForever({ ...input, everySeconds: input.everySeconds }, (cursor) => loopPoll.pollOrders({ connectionId: input.connectionId, modifiedAfter: cursor }));
}

/**
 * The loop of a long-lived order poll (WooCommerce's orderPoll, eCom's ecomOrderPoll): `poll`
 * reads and applies everything changed since the cursor; `setup` (optional, e.g. keeping the shop's
 * webhook) runs before the polls of each run until it succeeds once; its failure is shown and
 * never stops the polls.
 */
export async function pollForever(
  input: OrderPollInput & { everySeconds: number },
  poll: (cursor: string | undefined) => Promise<OrderPollResult>,
  setup?: () => Promise<unknown>,
): Promise<never> {
  const status: OrderPollStatus = {
    ...(input.carried ?? { connectionId: input.connectionId, polls: 0, orders: 0, imported: 0, failed: 0 }),
    everySeconds: input.everySeconds,
  };
  setHandler(orderPollStatusQuery, () => status);
  setHandler(setPollIntervalSignal, (seconds) => {
    if (Number.isInteger(seconds) && seconds > 0) status.everySeconds = seconds;
  });
  const pollsPerRun = input.pollsPerRun ?? POLLS_PER_RUN;
  let setupDone = setup === undefined;
  for (let n = 0; ; n++) {
    const startedAt = Date.now();
    if (!setupDone) {
      try {
        await setup!();
        setupDone = true;
        status.setupError = undefined;
      } catch (err) {
        if (isCancellation(err)) throw err;
        status.setupError = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      }
    }
    setCurrentDetails(pollDetails(status, `Polling orders modified since ${status.cursor ?? 'the last poll'}`));
    try {
      const r = await poll(status.cursor);
      status.cursor = r.watermark;
      status.polls += 1;
      status.orders += r.orders;
      status.imported += r.imported;
      status.failed += r.failed;
      status.lastError = undefined;
      status.failingSince = undefined;
    } catch (err) {
      // An operator's cancel ends it; anything the shop or the database did is shown and tried again.
      if (isCancellation(err)) throw err;
      status.lastError = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      status.failingSince ??= new Date(startedAt).toISOString();
    }
    status.lastPollAt = new Date(startedAt).toISOString();
    // An interval changed by a signal during the wait applies to this wait.
    const due = () => startedAt + status.everySeconds * 1000;
    for (;;) {
      status.nextPollAt = new Date(due()).toISOString();
      setCurrentDetails(pollDetails(status, `Next poll ${status.nextPollAt}`));
      const every = status.everySeconds;
      if (due() <= Date.now() || !(await condition(() => status.everySeconds !== every, due() - Date.now()))) break;
    }
    if (n + 1 >= pollsPerRun || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof orderPoll>({ ...input, everySeconds: status.everySeconds, carried: status });
    }
  }
}

function pollDetails(s: OrderPollStatus, now: string): string {
  const last = s.lastError
    ? `The shop could not be polled since ${s.failingSince}: ${s.lastError}`
    : s.lastPollAt ? `Last poll ${s.lastPollAt} read the orders modified up to ${s.cursor}` : 'Not polled yet';
  const setup = s.setupError ? `. The shop's order webhook is not ensured yet (tried again at the next poll): ${s.setupError}` : '';
  return `${now} (every ${s.everySeconds}s). ${last}. ${s.polls} polls: ${s.orders} orders read, ${s.imported} imported, ${s.failed} failed${setup}`;
}
