import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ProductSnapshot } from '../../domain/product';
import { toWooProduct, writtenStock } from '../../domain/woo-mapping';
import { NO_MEDIA, imageProblemOf } from '../../domain/woo-images';
import { forgetMedia, imageProblemLog, loadKnownMedia, variationImageOptions } from './media';
import { eachLimited } from '../each-limited';
import { dequeue, lastQueuedSeq, readQueue, requeueForSaga } from '../pos/batch-push-queue';
import { claimPendingPushes } from '../pos/change-feed';
import { getConnection } from '../pos/connections';
import { deleteLinks, linksOf, markPushedMany, saveLinks, type ProductLink } from '../pos/links';
import { loadConnectionSnapshots } from '../pos/connection-outlets';
import { writeSyncLog, type SyncLogEntry } from '../pos/sync-log';
import { withHeartbeats } from '../heartbeat';
import { commitTimes, observePushLag } from '../../server/metrics/push-lag';
import type { QueuedProduct } from '../pos/batch-push-queue';
import { clearPushFailures, recordPushFailures, tryRecordPushFailures } from '../pos/push-failures';
import { chunk } from './batch';
import { CONNECTION_BLOCKED, blockedFailure, isAuthError } from './connection-health';
import { blockReason } from '../pos/connection-blocks';
import { WooApiError } from './errors';
import type { Db } from '../../db/connection';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { remoteVariationsOf, upsertVariations } from './variations';
import { leaveTrashedOut } from './trash';

export interface BatchPushResult {
  /** The queue position this round pushes up to; later changes wait for the next round. */
  upToSeq: string;
  pushed: number;
  failed: number;
  /** Products handed to their push saga because the shop no longer has them. */
  relinked: number;
  requests: number;
  /** More rows up to `upToSeq` are waiting: call again. */
  more: boolean;
}

const BATCH_CONCURRENCY = 4;
const VARIATION_CONCURRENCY = 8;

export function createBatchPushActivities(deps: PushDeps) {
  const { db } = deps;
  return {
    /**
     * Pushes up to `limit` queued linked products to one connection: every POS-owned field
     * (M-A3, M-A4 as in the per-product push), 100 products per `/products/batch`, variations
     * batched per parent. Idempotent: a retry reads the same rows and writes the same values.
     */
    async pushQueuedProducts(input: { connectionId: string; upToSeq?: string; limit: number }): Promise<BatchPushResult> {
      let queued: QueuedProduct[] = [];
      // A connection that failed its check (issue 8 point 3) gets nothing: the workflow waits and probes.
      const block = await blockReason(db, input.connectionId);
      if (block !== undefined) throw ApplicationFailure.nonRetryable(block, CONNECTION_BLOCKED);
      return withHeartbeats(() => withWooErrors(() => withPushFailures(db, input.connectionId, () => queued, async () => {
        const connection = await getConnection(db, input.connectionId);
        if (!connection) throw ApplicationFailure.nonRetryable(`connection ${input.connectionId} does not exist`, 'UnknownConnection');
        if (!connection.active) {
          // Deactivated after these rows were queued: its shop takes no pushes (its client is gone).
          await db('batch_push_queue').where({ connection_id: input.connectionId }).delete();
          return { upToSeq: input.upToSeq ?? '0', pushed: 0, failed: 0, relinked: 0, requests: 0, more: false };
        }
        const upToSeq = input.upToSeq ?? (await lastQueuedSeq(db, input.connectionId));
        const readAt = Date.now();
        queued = await readQueue(db, input.connectionId, upToSeq, input.limit);
        const result: BatchPushResult = { upToSeq, pushed: 0, failed: 0, relinked: 0, requests: 0, more: queued.length === input.limit };
        if (queued.length === 0) return result;

        const client = deps.woo.get(input.connectionId);
        const before = client.requestCount;
        const ids = queued.map((q) => q.productId);
        const reasons = new Map(queued.map((q) => [q.productId, q.reason]));
        // From here on, a new change of these products queues them again.
        const claimed = commitTimes(await claimPendingPushes(db, ids));
        // A product an earlier failed attempt claimed: its queue entry's age is the best known.
        const committedAt = new Map(queued.map((q) => [q.productId, claimed.get(q.productId) ?? (q.ageMs === undefined ? undefined : readAt - q.ageMs)]));
        const snapshots = await loadConnectionSnapshots(db, connection.id, ids);
        const links = await linksOf(db, input.connectionId, ids);
        const parentOf = new Map(links.filter((l) => l.variantId === null).map((l) => [l.productId, l.remoteId]));
        const products = [...snapshots.values()].filter((p) => parentOf.has(p.id));
        const unlinked = ids.filter((id) => snapshots.has(id) && !parentOf.has(id));

        const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
        const log: SyncLogEntry[] = [];
        const gone: number[] = [...unlinked];
        const updated: ProductSnapshot[] = [];
        // A stock movement never makes the shop download an image (issue 6 point 1): images go by
        // media id, or not at all while one is not uploaded yet (the product's own push does that).
        const media = await loadKnownMedia(db, input.connectionId, products.map((p) => p.id));
        const body = (p: ProductSnapshot) => ({ id: parentOf.get(p.id)!, ...toWooProduct(p, { media: media.get(p.id) ?? NO_MEDIA, download: false }) });
        const imageRefused: ProductSnapshot[] = [];
        // Issue 6 point 6: a product trashed in the shop is left trashed (an update would untrash it).
        // An id the shop gave to another product is not updated: the saga relinks or creates ours (issue 8 point 1).
        const { trashed, taken } = await leaveTrashedOut(db, client, input.connectionId, products.map((p) => ({ productId: p.id, sku: p.sku, remoteId: parentOf.get(p.id)! })), workflowId);
        gone.push(...taken);
        await eachLimited(chunk(products.filter((p) => !trashed.has(p.id) && !taken.has(p.id)), 100), BATCH_CONCURRENCY, async (part) => {
          const res = await refusedAsItemErrors(part, () => client.batchProducts({ update: part.map(body) }));
          (res.update ?? []).forEach((r, i) => {
            const p = part[i]!;
            const problem = 'error' in r && r.error ? imageProblemOf(r.error.code, r.error.message) : undefined;
            if (problem) {
              // A media id deleted in the shop: forget it and send the product again without images.
              imageRefused.push(p);
              media.delete(p.id);
              log.push(imageProblemLog({ connectionId: input.connectionId, productId: p.id, variantId: null, sku: p.sku, workflowId }, problem));
            } else if ('error' in r && r.error && /invalid_id/.test(r.error.code)) gone.push(p.id);
            else if ('error' in r && r.error) {
              log.push({ connectionId: input.connectionId, productId: p.id, workflowId, action: 'update', status: 'failed', message: `update refused: ${r.error.code} ${r.error.message}` });
            } else updated.push(p);
          });
          heartbeat();
        });
        for (const p of imageRefused) await forgetMedia(db, input.connectionId, p.id);
        for (const part of chunk(imageRefused, 100)) {
          const res = await client.batchProducts({ update: part.map(body) });
          (res.update ?? []).forEach((r, i) => {
            const p = part[i]!;
            if ('error' in r && r.error) {
              log.push({ connectionId: input.connectionId, productId: p.id, workflowId, action: 'update', status: 'failed', message: `update refused: ${r.error.code} ${r.error.message}` });
            } else updated.push(p);
          });
        }

        const variationLinks: ProductLink[] = [];
        await eachLimited(updated.filter((p) => p.type === 'variable'), VARIATION_CONCURRENCY, async (p) => {
          const parentId = parentOf.get(p.id)!;
          const remote = await remoteVariationsOf(client, p, parentId, links);
          try {
            const vl = await upsertVariations(client, p, parentId, remote, variationImageOptions({
              productId: p.id, media: media.get(p.id) ?? NO_MEDIA, download: false,
              onProblem: async (variantId, problem) => {
                if (problem.kind === 'invalid-id') await forgetMedia(db, input.connectionId, p.id, problem.id || undefined);
                log.push(imageProblemLog({ connectionId: input.connectionId, productId: p.id, variantId, sku: p.sku, workflowId }, problem));
              },
            }));
            variationLinks.push(...vl.map((v) => ({ connectionId: input.connectionId, productId: p.id, variantId: v.variantId, remoteId: v.remoteId, remoteParentId: parentId })));
          } catch (err) {
            if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
            updated.splice(updated.indexOf(p), 1);
            log.push({ connectionId: input.connectionId, productId: p.id, workflowId, action: 'update', status: 'failed', message: err.message });
          }
          heartbeat();
        });

        for (const p of updated) {
          log.push({
            connectionId: input.connectionId, productId: p.id, workflowId, action: 'update', status: 'ok',
            message: `pushed version ${p.version} of ${p.sku} (${reasons.get(p.id) ?? 'change'}, batched)`,
          });
        }
        await db.transaction(async (trx) => {
          await saveLinks(trx, variationLinks, null);
          await markPushedMany(trx, input.connectionId, updated.map((p) => ({ productId: p.id, version: p.version, stock: writtenStock(p) })));
          for (const id of gone.filter((id) => parentOf.has(id))) await deleteLinks(trx, input.connectionId, id);
          // The per-product saga creates (or finds by SKU) what the shop lacks.
          await requeueForSaga(trx, gone);
          await writeSyncLog(trx, log);
          await recordPushFailures(trx, log.filter((l) => l.status === 'failed').map((l) => ({
            connectionId: input.connectionId, productId: l.productId!, action: 'update', message: l.message ?? 'refused', willRetry: false,
          })));
          await clearPushFailures(trx, input.connectionId, updated.map((p) => p.id));
          await dequeue(trx, input.connectionId, queued);
        });
        observePushLag(input.connectionId, 'batched', updated.map((p) => committedAt.get(p.id)));
        return {
          ...result,
          pushed: updated.length,
          failed: log.filter((l) => l.status === 'failed').length,
          relinked: gone.length,
          requests: client.requestCount - before,
        };
      })));
    },
  };
}


/**
 * A whole batch refused with a 4xx that will not change (e.g. one bad item makes WooCommerce
 * refuse the request) becomes one error per item: those products are recorded as refused and
 * the round carries on. Credentials refused, and anything a retry can fix, still throw.
 */
async function refusedAsItemErrors<T, R>(part: T[], send: () => Promise<{ update?: R[] }>): Promise<{ update?: (R | { error: { code: string; message: string } })[] }> {
  try {
    return await send();
  } catch (err) {
    if (!(err instanceof WooApiError) || err.retryable || err.kind === 'auth') throw err;
    return { update: part.map(() => ({ error: { code: `batch_refused_${err.code}`, message: err.message } })) };
  }
}

/**
 * Records every failed attempt of a round against its products (issue 7 point 12), and turns a
 * refusal of the credentials into a blocked connection (point 5). Temporal retries the rest.
 */
async function withPushFailures<T>(db: Db, connectionId: string, queued: () => QueuedProduct[], round: () => Promise<T>): Promise<T> {
  try {
    return await round();
  } catch (err) {
    const ids = queued().map((q) => q.productId);
    if (isAuthError(err)) throw await blockedFailure(db, connectionId, err as Error, ids, 'update');
    const retryable = err instanceof WooApiError ? err.retryable : !(err instanceof ApplicationFailure && err.nonRetryable);
    await tryRecordPushFailures(db, ids.map((productId) => ({
      connectionId, productId, action: 'update', message: err instanceof Error ? err.message : String(err), willRetry: retryable,
    })));
    throw err;
  }
}
