import {
  CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, log, patched,
  proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { activityFailureMessage, activityFailureType } from './activity-failures';
import { waitWhileBlocked } from './connection-blocked';
import { SA } from './contracts/search-attributes';
import {
  BATCH_PUSH_CALL_LIMIT, batchPushStatusQuery, productsQueuedSignal, type BatchPushInput, type BatchPushStatus, type BatchPushTotals,
} from './contracts/batch-push';
import { UNLIMITED_RETRY, retryNowSignal } from './contracts/retry';

const { pushQueuedProducts } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // The activity heartbeats every 2 s: a killed worker costs seconds, not the 5 minutes above.
  heartbeatTimeout: '15 seconds',
  retry: UNLIMITED_RETRY,
});

const ROUNDS_PER_RUN = 300;
/** The failure type the push throws when the shop refuses the connection's credentials. */
const CONNECTION_BLOCKED = 'ConnectionBlocked';

/**
 * One long-lived workflow per connection (id batch-push/<connectionId>) that pushes the linked
 * products changed by stock movements (M-A2), many per request. A storm of sales over hundreds
 * of products costs one round per quiet window here, instead of a push cycle per product.
 * Products the shop does not have go to their per-product saga instead.
 *
 * It never dies of a shop (issue 7 point 5): faults are retried without limit, refusals are
 * recorded per product by the activity, and refused credentials block the connection until a
 * probe or the operator (retryNow) finds them working again.
 */
export async function batchPush(input: BatchPushInput): Promise<void> {
  let signals = input.carried?.pendingSignals ?? 0;
  let handled = 0;
  let lastRoundStartedAt = input.carried?.lastRoundStartedAt;
  const totals: BatchPushTotals = input.carried?.totals ?? { rounds: 0, pushed: 0, failed: 0, relinked: 0, requests: 0 };
  const status: BatchPushStatus = { connectionId: input.connectionId, phase: 'idle', ...totals };
  let roundsThisRun = 0;
  let retryRequested = false;
  let pushScope: CancellationScope | undefined;

  setHandler(productsQueuedSignal, () => {
    signals += 1;
  });
  setHandler(retryNowSignal, () => {
    signals += 1;
    retryRequested = true;
    pushScope?.cancel();
  });
  setHandler(batchPushStatusQuery, () => ({ ...status, ...totals }));
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);
  // The Web UI's line (issue 8 point 7): what it does now, then how the rounds went.
  let lastOutcome = `${totals.pushed} product pushes in ${totals.rounds} rounds`;
  const show = (now: string) => setCurrentDetails(`${now}. ${lastOutcome}`);

  if (input.carried?.blockedReason !== undefined) {
    const next = await waitUntilUnblocked(input.carried.blockedReason);
    if (next) return next;
  }

  for (;;) {
    status.phase = 'idle';
    show(`Waiting for products queued for ${input.connectionId}`);
    if (!(await condition(() => signals > handled, input.idleTimeoutMs))) break;

    status.phase = 'settling';
    const sinceLast = lastRoundStartedAt === undefined ? Infinity : Date.now() - lastRoundStartedAt;
    const wait = Math.max(input.settleMs, input.quietWindowMs - sinceLast);
    show(`Products queued; pushing them to ${input.connectionId} in ${Math.max(0, Math.round(wait))} ms`);
    if (wait > 0) await sleep(wait);
    show(`Pushing the queued products to ${input.connectionId}`);

    const target = signals;
    lastRoundStartedAt = Date.now();
    status.phase = 'pushing';
    retryRequested = false;
    let upToSeq: string | undefined;
    for (;;) {
      let r: Awaited<ReturnType<typeof pushQueuedProducts>>;
      try {
        pushScope = new CancellationScope();
        r = await pushScope.run(() => pushQueuedProducts({ connectionId: input.connectionId, upToSeq, limit: BATCH_PUSH_CALL_LIMIT }));
      } catch (err) {
        // Before this change a failure ended the workflow; histories of that still replay.
        if (!patched('batch-push-survives-failures')) throw err;
        if (isCancellation(err) && retryRequested) {
          retryRequested = false;
          continue;
        }
        if (activityFailureType(err) === CONNECTION_BLOCKED) {
          const next = await waitUntilUnblocked(activityFailureMessage(err));
          if (next) return next;
          continue;
        }
        // A refusal no retry can change: the activity recorded it; the rows stay queued for the next change.
        status.lastError = activityFailureMessage(err);
        log.warn('batched push round failed; carrying on', { connectionId: input.connectionId, error: status.lastError });
        lastOutcome = `Last round failed: ${status.lastError}`;
        break;
      } finally {
        pushScope = undefined;
      }
      upToSeq = r.upToSeq;
      totals.pushed += r.pushed;
      totals.failed += r.failed;
      totals.relinked += r.relinked;
      totals.requests += r.requests;
      status.lastError = undefined;
      if (!r.more) break;
    }
    handled = target;
    totals.rounds += 1;
    roundsThisRun += 1;
    status.lastRoundAt = new Date().toISOString();
    if (status.lastError === undefined) {
      lastOutcome = `${totals.pushed} product pushes in ${totals.rounds} rounds (${totals.requests} requests, ${totals.failed} failed)`;
    }

    if (roundsThisRun >= ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof batchPush>({
        ...input,
        carried: { pendingSignals: signals - handled, lastRoundStartedAt, totals },
      });
    }
  }
  await condition(allHandlersFinished);

  /**
   * Blocked: nothing is pushed until a probe succeeds or the operator asks (retryNow). Returns
   * a continue-as-new when the wait outgrows the history, otherwise undefined once unblocked.
   */
  async function waitUntilUnblocked(reason: string): Promise<Promise<never> | undefined> {
    status.phase = 'blocked';
    status.blockedReason = reason;
    const retry = { requested: () => retryRequested, clear: () => void (retryRequested = false) };
    if ((await waitWhileBlocked(input.connectionId, reason, retry, 'Unblocked: pushing what waited')) === 'continue-as-new') {
      await condition(allHandlersFinished);
      return continueAsNew<typeof batchPush>({
        ...input,
        carried: { pendingSignals: signals - handled, lastRoundStartedAt, totals, blockedReason: reason },
      });
    }
    status.blockedReason = undefined;
    // Everything queued meanwhile goes in the next round.
    signals += 1;
    status.phase = 'pushing';
    return undefined;
  }
}
