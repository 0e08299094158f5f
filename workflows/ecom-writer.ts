import {
  CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, log,
  proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityFailureMessage, activityFailureType } from './activity-failures';
import { waitWhileBlocked } from './connection-blocked';
import { SA } from './contracts/search-attributes';
import {
  ECOM_DRAIN_LIMIT, ecomRowsQueuedSignal, ecomWriterDetails, ecomWriterStatusQuery,
  type EcomDrainResult, type EcomWriterInput, type EcomWriterStatus, type EcomWriterTotals,
} from './contracts/ecom-writer';
import { UNLIMITED_RETRY, retryNowSignal } from './contracts/retry';

const { drainEcomQueue } = proxyActivities<Activities>({
  // A call writes at most ECOM_DRAIN_LIMIT products, each waiting for the shop's budget: long in the
  // worst case, so the heartbeat (every 2 s) is what notices a killed worker.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '15 seconds',
  retry: UNLIMITED_RETRY,
});

const ROUNDS_PER_RUN = 300;
const DEFERRED_RETRY_MS = 30_000;
/** The failure type a drain throws when the shop refuses the connection's credentials. */
const CONNECTION_BLOCKED = 'ConnectionBlocked';

/**
 * The one writer of a Lightspeed eCom connection (id ecom-writer/<connectionId>): every write to
 * that shop goes through it, so the products are written one writer at a time and the queue is
 * ordered by the shop's budget (stock rows first). Changes wait in ecom_write_queue; a storm of
 * sales of one product costs one stock write per quiet window.
 *
 * It never dies of a shop: faults are retried without limit, refusals are recorded per product by
 * the activity, and refused credentials block the connection until a probe or the operator
 * (retryNow) finds them working again. Only counts are kept in its history.
 */
export async function ecomWriter(input: EcomWriterInput): Promise<void> {
  let signals = input.carried?.pendingSignals ?? 0;
  let handled = 0;
  let lastRoundStartedAt = input.carried?.lastRoundStartedAt;
  const totals: EcomWriterTotals = input.carried?.totals ?? { rounds: 0, pushed: 0, unchanged: 0, refused: 0, requests: 0, writes: 0 };
  const status: EcomWriterStatus = { connectionId: input.connectionId, phase: 'idle', queued: { stock: 0, catalog: 0 }, ...totals };
  let roundsThisRun = 0;
  let retryRequested = false;
  let scope: CancellationScope | undefined;

  setHandler(ecomRowsQueuedSignal, () => {
    signals += 1;
  });
  setHandler(retryNowSignal, () => {
    signals += 1;
    retryRequested = true;
    scope?.cancel();
  });
  setHandler(ecomWriterStatusQuery, () => ({ ...status, ...totals }));
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  const show = (now?: string) => setCurrentDetails(`${ecomWriterDetails(status.queued, totals)}${now ? ` · ${now}` : ''}`);

  if (input.carried?.blockedReason !== undefined) {
    const next = await waitUntilUnblocked(input.carried.blockedReason);
    if (next) return next;
  }

  // Products deferred by a fault of their own are tried again after a pause, not in a tight loop.
  let retryDeferred = false;
  for (;;) {
    status.phase = 'idle';
    show(status.lastError ? `last round failed: ${status.lastError}` : retryDeferred ? 'retrying deferred products shortly' : undefined);
    if (!(await condition(() => signals > handled, retryDeferred ? DEFERRED_RETRY_MS : input.idleTimeoutMs))) {
      if (!retryDeferred) break;
      signals += 1;
    }
    retryDeferred = false;

    status.phase = 'settling';
    const sinceLast = lastRoundStartedAt === undefined ? Infinity : Date.now() - lastRoundStartedAt;
    const wait = Math.max(input.settleMs, input.quietWindowMs - sinceLast);
    if (wait > 0) await sleep(wait);

    const target = signals;
    lastRoundStartedAt = Date.now();
    status.phase = 'writing';
    show('writing');
    retryRequested = false;
    let upToSeq: string | undefined;
    let deferred = 0;
    for (;;) {
      let r: EcomDrainResult;
      try {
        scope = new CancellationScope();
        r = await scope.run(() => drainEcomQueue({ connectionId: input.connectionId, upToSeq, limit: ECOM_DRAIN_LIMIT }));
      } catch (err) {
        if (isCancellation(err) && retryRequested) {
          retryRequested = false;
          continue;
        }
        if (activityFailureType(err) === CONNECTION_BLOCKED) {
          const next = await waitUntilUnblocked(activityFailureMessage(err));
          if (next) return next;
          continue;
        }
        // A failure no retry can change (e.g. the connection is unknown to this worker): rows stay queued for the next signal.
        status.lastError = activityFailureMessage(err);
        log.warn('eCom write round failed; carrying on', { connectionId: input.connectionId, error: status.lastError });
        break;
      } finally {
        scope = undefined;
      }
      upToSeq = r.upToSeq;
      totals.pushed += r.pushed;
      totals.unchanged += r.unchanged;
      totals.refused += r.refused;
      totals.requests += r.requests;
      totals.writes += r.writes;
      deferred += r.deferred ?? 0;
      status.queued = r.backlog;
      status.lastError = undefined;
      show('writing');
      if (!r.more) break;
    }
    handled = target;
    totals.rounds += 1;
    roundsThisRun += 1;
    status.lastRoundAt = new Date().toISOString();
    // Rows left (newer than this round, or queued meanwhile without a signal yet) get a round of their own.
    if (status.lastError === undefined && status.queued.stock + status.queued.catalog > deferred) signals += 1;
    else if (deferred > 0) retryDeferred = true;

    if (roundsThisRun >= ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof ecomWriter>({ ...input, carried: { pendingSignals: signals - handled + (retryDeferred ? 1 : 0), lastRoundStartedAt, totals } });
    }
  }
  await condition(allHandlersFinished);

  async function waitUntilUnblocked(reason: string): Promise<Promise<never> | undefined> {
    status.phase = 'blocked';
    status.blockedReason = reason;
    const retry = { requested: () => retryRequested, clear: () => void (retryRequested = false) };
    if ((await waitWhileBlocked(input.connectionId, reason, retry, 'Unblocked: writing what waited')) === 'continue-as-new') {
      await condition(allHandlersFinished);
      return continueAsNew<typeof ecomWriter>({
        ...input, carried: { pendingSignals: signals - handled, lastRoundStartedAt, totals, blockedReason: reason },
      });
    }
    status.blockedReason = undefined;
    signals += 1;
    status.phase = 'writing';
    return undefined;
  }
}
