import {
  ApplicationFailure, CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, log, patched, proxyActivities,
  proxyLocalActivities, setCurrentDetails, setHandler, sleep, upsertMemo, upsertSearchAttributes, workflowInfo, ActivityFailure,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SA } from './contracts/search-attributes';
import {
  productChangedSignal, pushStatusQuery, type ProductPushInput, type PushStatus,
} from './contracts/product-push';
import { UNLIMITED_RETRY, retryNowSignal } from './contracts/retry';

const PUSHES_PER_RUN = 200;

// Saga steps are safe to repeat (each looks up before it writes): they retry without limit, so
// an outage of the shop or the database only delays them; a refusal ends them (issue 7 point 5).
const shop = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // The steps heartbeat every 2 s (activities/index.ts): a killed worker costs seconds.
  heartbeatTimeout: '15 seconds',
  retry: UNLIMITED_RETRY,
});
// The update of a linked product is the hot path (every sale): a local activity costs one
// history marker instead of three events and a workflow task of its own. A killed worker costs
// the workflow task timeout here (seconds): the next worker replays and runs it again.
const hot = proxyLocalActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  localRetryThreshold: '10s',
  retry: UNLIMITED_RETRY,
});
// The create saga (createInShop): creates are safe to repeat (a lost answer is looked for before
// anything is created again), so they retry without limit; the waits for a create whose answer was
// lost happen inside the activity, with heartbeats.
const creates = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // The steps heartbeat every 2 s (activities/index.ts): a killed worker costs seconds (issue 7 point 9).
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// Compensation retries without limit too; only a refusal (e.g. 401/403) ends it, and is recorded.
const undo = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const pos = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200ms', maximumInterval: '10s' },
});

/**
 * One long-lived workflow per product (id product-push/<productId>), woken by signal-with-start
 * on every POS change (M-A2). It reads the latest product from the POS, never the signal, and
 * sends all POS-owned fields to every connection (M-A3, M-A4). A product the shop does not have
 * yet is created as a saga: parent, variations, link; a step that fails for good undoes the
 * steps before it, so no orphan is left in the shop.
 */
export async function productPush(input: ProductPushInput): Promise<void> {
  const { productId } = input;
  let changes = input.carried?.pendingChanges ?? 0;
  let handled = 0;
  let lastPushStartedAt = input.carried?.lastPushStartedAt;
  const status: PushStatus = { productId, sku: '', phase: 'idle', changesSeen: changes, pushes: input.carried?.pushes ?? 0 };
  let pushesThisRun = 0;
  let shownSku = '';
  // The Web UI's line (issue 8 point 7): what it does now, then how the last push ended.
  let lastOutcome = status.pushes > 0 ? `${status.pushes} pushes so far` : 'Not pushed yet';
  const product = () => (status.sku ? `${status.sku} (product ${productId})` : `product ${productId}`);
  const show = (now: string) => setCurrentDetails(`${now}. ${lastOutcome}`);

  setHandler(productChangedSignal, () => {
    changes += 1;
    status.changesSeen += 1;
  });
  setHandler(pushStatusQuery, () => status);
  let retryRequested = false;
  let pushScope: CancellationScope | undefined;
  setHandler(retryNowSignal, () => {
    changes += 1;
    status.changesSeen += 1;
    retryRequested = true;
    pushScope?.cancel();
  });

  for (;;) {
    status.phase = 'idle';
    show(`Waiting for the next change of ${product()}`);
    if (!(await condition(() => changes > handled, input.idleTimeoutMs))) break;

    status.phase = 'settling';
    const sinceLast = lastPushStartedAt === undefined ? Infinity : Date.now() - lastPushStartedAt;
    const wait = Math.max(input.settleMs, input.quietWindowMs - sinceLast);
    show(`${changes - handled} change(s) of ${product()} seen; pushing in ${Math.max(0, Math.round(wait))} ms`);
    if (wait > 0) await sleep(wait);

    const target = changes;
    lastPushStartedAt = Date.now();
    status.phase = 'pushing';
    show(`Pushing ${product()} to its shops`);
    await pushOnce();
    handled = target;
    status.pushes += 1;
    status.lastPushAt = new Date().toISOString();
    pushesThisRun += 1;

    if (pushesThisRun >= PUSHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof productPush>({
        ...input,
        carried: { pendingChanges: changes - handled, lastPushStartedAt, pushes: status.pushes },
      });
    }
  }
  await condition(allHandlersFinished);

  async function pushOnce(): Promise<void> {
    let round: Awaited<ReturnType<typeof hot.pushProduct>>;
    for (;;) {
      retryRequested = false;
      try {
        pushScope = new CancellationScope();
        round = await pushScope.run(() => hot.pushProduct({ productId }));
        break;
      } catch (err) {
        // Before this change a failure ended the workflow; histories of that still replay.
        if (!patched('product-push-survives-failures')) throw err;
        // `possync retry`: the attempt waiting out its backoff starts again now.
        if (isCancellation(err) && retryRequested) continue;
        // Only a refusal reaches here (faults retry without limit): recorded, and the loop carries on.
        status.lastError = failureMessage(err);
        log.warn('push round refused; carrying on', { productId, error: status.lastError });
        lastOutcome = `Last push failed: ${status.lastError}`;
        show(`Waiting for the next change or \`possync retry\` of ${product()}`);
        return;
      } finally {
        pushScope = undefined;
      }
    }
    if (!round.exists) {
      status.lastError = `product ${productId} no longer exists in the POS`;
      lastOutcome = status.lastError;
      return;
    }
    if (round.sku !== shownSku) {
      shownSku = round.sku;
      status.sku = round.sku;
      const connection = round.pushed[0] ?? round.toCreate[0];
      upsertSearchAttributes([
        { key: SA.sku, value: round.sku },
        { key: SA.productId, value: productId },
        ...(connection ? [{ key: SA.connection, value: connection }] : []),
      ]);
      upsertMemo({ product: round.name, sku: round.sku });
    }
    const errors = round.failures.map((f) => `${f.connectionId}: ${f.message}`);
    for (const connectionId of round.toCreate) {
      show(`Creating ${round.sku} "${round.name}" in ${connectionId}`);
      try {
        await createInShop(connectionId);
        await pos.recordSyncOutcome({
          connectionId, productId, workflowId: workflowInfo().workflowId, action: 'create', status: 'ok', message: `created and linked ${round.sku}`,
        });
      } catch (err) {
        const message = failureMessage(err);
        errors.push(`${connectionId}: ${message}`);
        log.warn('creating the product in the shop failed', { productId, connection: connectionId, error: message });
        await pos.recordSyncOutcome({
          connectionId, productId, workflowId: workflowInfo().workflowId, action: 'create', status: 'failed', message, failureType: failureTypeOf(err),
        });
      }
    }
    status.lastError = errors.length > 0 ? errors.join('; ') : undefined;
    lastOutcome = status.lastError
      ? `Last push of ${round.sku} failed: ${status.lastError}`
      : `Up to date: ${round.sku} "${round.name}" pushed ${new Date().toISOString()}`;
    setCurrentDetails(lastOutcome);
  }

  async function createInShop(connectionId: string): Promise<void> {
    if (!patched('create-saga-v2-business-refusals-only')) return createInShopV1(connectionId);
    // Issue 7 point 5: the steps retry without limit (an outage waits, it never undoes), only a
    // business refusal ends a step and is compensated, only what this run created is undone
    // (creations carry this run's key), and an undo that cannot be done is recorded.
    const compensations: { what: string; undo: () => Promise<unknown> }[] = [];
    try {
      const parent = await creates.createRemoteParent({ connectionId, productId });
      compensations.unshift(
        parent.createdByUs
          ? { what: `delete shop product ${parent.remoteId}`, undo: () => undo.deleteRemoteProduct({ connectionId, remoteId: parent.remoteId }) }
          : { what: `delete this run's variations of shop product ${parent.remoteId}`, undo: () => undo.deleteRunVariations({ connectionId, remoteParentId: parent.remoteId }) },
      );
      const variations = await creates.upsertRemoteVariations({ connectionId, productId, remoteParentId: parent.remoteId, freshParent: parent.fresh });
      // The stock step 1 wrote, kept as the link's pushed_stock (issue 11); an activity's input is not replayed, so no patch.
      await creates.linkRemoteProduct({ connectionId, productId, remoteParentId: parent.remoteId, variations, parentStock: parent.stock });
      compensations.length = 0;
      if (parent.uncertain) {
        // A create whose answer was lost may land after the wait: one more look once linked.
        try {
          await creates.removeDuplicateCreations({ connectionId, productId, keepId: parent.remoteId });
        } catch (err) {
          log.warn('looking for duplicates after the create failed', { productId, connectionId, error: failureMessage(err) });
        }
      }
    } catch (err) {
      if (!isBusinessRefusal(err)) throw err;
      if (compensations.length === 0) throw err;
      const failedUndos: string[] = [];
      await CancellationScope.nonCancellable(async () => {
        for (const c of compensations) {
          try {
            await c.undo();
          } catch (e) {
            failedUndos.push(`${c.what}: ${failureMessage(e)}`);
            log.error('compensation failed', { productId, connectionId, error: failureMessage(e) });
          }
        }
      });
      await pos.recordSyncOutcome({
        connectionId, productId, workflowId: workflowInfo().workflowId, action: 'create',
        status: failedUndos.length > 0 ? 'compensation_failed' : 'compensated',
        message: failedUndos.length > 0
          ? `creation refused (${failureMessage(err)}); could not undo: ${failedUndos.join('; ')}`
          : `creation undone after: ${failureMessage(err)}`,
      });
      throw err;
    }
  }

  /** The saga as it ran before create-saga-v2 (kept so that recorded histories replay). */
  async function createInShopV1(connectionId: string): Promise<void> {
    const compensations: (() => Promise<void>)[] = [];
    try {
      const parent = await shop.createRemoteParent({ connectionId, productId });
      if (parent.createdByUs) {
        compensations.unshift(() => shop.deleteRemoteProduct({ connectionId, remoteId: parent.remoteId }));
      }
      const variations = await shop.upsertRemoteVariations({ connectionId, productId, remoteParentId: parent.remoteId });
      await shop.linkRemoteProduct({ connectionId, productId, remoteParentId: parent.remoteId, variations });
    } catch (err) {
      await CancellationScope.nonCancellable(async () => {
        for (const undo of compensations) {
          try {
            await undo();
          } catch (e) {
            log.error('compensation failed', { productId, connectionId, error: failureMessage(e) });
          }
        }
      });
      if (compensations.length > 0) {
        await pos.recordSyncOutcome({
          connectionId, productId, workflowId: workflowInfo().workflowId, action: 'create', status: 'compensated',
          message: `creation undone after: ${failureMessage(err)}`,
        });
      }
      throw err;
    }
  }
}

function failureTypeOf(err: unknown): string | undefined {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause.type ?? undefined : undefined;
}

/** Refusals a retry cannot change (issue 7 point 5): only these end a create and undo it. */
const BUSINESS_REFUSALS = new Set([
  'SkuConflict', 'VariationRejected', 'UnknownProduct',
  'WooApiError.validation', 'WooApiError.duplicate_sku', 'WooApiError.too_large', 'WooApiError.conflict', 'WooApiError.gone',
]);

function isBusinessRefusal(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.nonRetryable === true && BUSINESS_REFUSALS.has(cause.type ?? '');
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
