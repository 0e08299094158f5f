import { allHandlersFinished, condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import {
  BATCH_PUSH_CALL_LIMIT, batchPushStatusQuery, productsQueuedSignal, type BatchPushInput, type BatchPushStatus, type BatchPushTotals,
} from './contracts/batch-push';

const { pushQueuedProducts } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const ROUNDS_PER_RUN = 300;

/**
 * One long-lived workflow per connection (id batch-push/<connectionId>) that pushes the linked
 * products changed by stock movements (M-A2), many per request. A storm of sales over hundreds
 * of products costs one round per quiet window here, instead of a push cycle per product.
 * Products the shop does not have go to their per-product saga instead.
 */
export async function batchPush(input: BatchPushInput): Promise<void> {
  let signals = input.carried?.pendingSignals ?? 0;
  let handled = 0;
  let lastRoundStartedAt = input.carried?.lastRoundStartedAt;
  const totals: BatchPushTotals = input.carried?.totals ?? { rounds: 0, pushed: 0, failed: 0, relinked: 0, requests: 0 };
  const status: BatchPushStatus = { connectionId: input.connectionId, phase: 'idle', ...totals };
  let roundsThisRun = 0;

  setHandler(productsQueuedSignal, () => {
    signals += 1;
  });
  setHandler(batchPushStatusQuery, () => ({ ...status, ...totals }));
  upsertSearchAttributes([{ key: SA.connection, value: input.connectionId }]);

  for (;;) {
    status.phase = 'idle';
    if (!(await condition(() => signals > handled, input.idleTimeoutMs))) break;

    status.phase = 'settling';
    const sinceLast = lastRoundStartedAt === undefined ? Infinity : Date.now() - lastRoundStartedAt;
    const wait = Math.max(input.settleMs, input.quietWindowMs - sinceLast);
    if (wait > 0) await sleep(wait);

    const target = signals;
    lastRoundStartedAt = Date.now();
    status.phase = 'pushing';
    let upToSeq: string | undefined;
    for (;;) {
      const r = await pushQueuedProducts({ connectionId: input.connectionId, upToSeq, limit: BATCH_PUSH_CALL_LIMIT });
      upToSeq = r.upToSeq;
      totals.pushed += r.pushed;
      totals.failed += r.failed;
      totals.relinked += r.relinked;
      totals.requests += r.requests;
      if (!r.more) break;
    }
    handled = target;
    totals.rounds += 1;
    roundsThisRun += 1;
    status.lastRoundAt = new Date().toISOString();
    setCurrentDetails(`${totals.pushed} product pushes in ${totals.rounds} rounds (${totals.requests} requests, ${totals.failed} failed)`);

    if (roundsThisRun >= ROUNDS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof batchPush>({
        ...input,
        carried: { pendingSignals: signals - handled, lastRoundStartedAt, totals },
      });
    }
  }
  await condition(allHandlersFinished);
}
