import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ProductSnapshot } from '../../domain/product';
import { toWooProduct } from '../../domain/woo-mapping';
import { eachLimited } from '../each-limited';
import { dequeue, lastQueuedSeq, readQueue, requeueForSaga } from '../pos/batch-push-queue';
import { claimPendingPushes } from '../pos/change-feed';
import { getConnection } from '../pos/connections';
import { deleteLinks, linksOf, markPushedMany, saveLinks, type ProductLink } from '../pos/links';
import { loadProductSnapshots } from '../pos/snapshot';
import { writeSyncLog, type SyncLogEntry } from '../pos/sync-log';
import { chunk } from './batch';
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
      return withWooErrors(async () => {
        const connection = await getConnection(db, input.connectionId);
        if (!connection) throw ApplicationFailure.nonRetryable(`connection ${input.connectionId} does not exist`, 'UnknownConnection');
        const upToSeq = input.upToSeq ?? (await lastQueuedSeq(db, input.connectionId));
        const queued = await readQueue(db, input.connectionId, upToSeq, input.limit);
        const result: BatchPushResult = { upToSeq, pushed: 0, failed: 0, relinked: 0, requests: 0, more: queued.length === input.limit };
        if (queued.length === 0) return result;

        const client = deps.woo.get(input.connectionId);
        const before = client.requestCount;
        const ids = queued.map((q) => q.productId);
        const reasons = new Map(queued.map((q) => [q.productId, q.reason]));
        // From here on, a new change of these products queues them again.
        await claimPendingPushes(db, ids);
        const snapshots = await loadProductSnapshots(db, ids, [connection.outletId]);
        const links = await linksOf(db, input.connectionId, ids);
        const parentOf = new Map(links.filter((l) => l.variantId === null).map((l) => [l.productId, l.remoteId]));
        const products = [...snapshots.values()].filter((p) => parentOf.has(p.id));
        const unlinked = ids.filter((id) => snapshots.has(id) && !parentOf.has(id));

        const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
        const log: SyncLogEntry[] = [];
        const gone: number[] = [...unlinked];
        const updated: ProductSnapshot[] = [];
        // Issue 6 point 6: a product trashed in the shop is left trashed (an update would untrash it).
        const trashed = await leaveTrashedOut(db, client, input.connectionId, products.map((p) => ({ productId: p.id, sku: p.sku, remoteId: parentOf.get(p.id)! })), workflowId);
        await eachLimited(chunk(products.filter((p) => !trashed.has(p.id)), 100), BATCH_CONCURRENCY, async (part) => {
          const res = await client.batchProducts({ update: part.map((p) => ({ id: parentOf.get(p.id)!, ...toWooProduct(p) })) });
          (res.update ?? []).forEach((r, i) => {
            const p = part[i]!;
            if ('error' in r && r.error && /invalid_id/.test(r.error.code)) gone.push(p.id);
            else if ('error' in r && r.error) {
              log.push({ connectionId: input.connectionId, productId: p.id, workflowId, action: 'update', status: 'failed', message: `update refused: ${r.error.code} ${r.error.message}` });
            } else updated.push(p);
          });
          heartbeat();
        });

        const variationLinks: ProductLink[] = [];
        await eachLimited(updated.filter((p) => p.type === 'variable'), VARIATION_CONCURRENCY, async (p) => {
          const parentId = parentOf.get(p.id)!;
          const remote = await remoteVariationsOf(client, p, parentId, links);
          try {
            const vl = await upsertVariations(client, p, parentId, remote);
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
          await markPushedMany(trx, input.connectionId, updated.map((p) => ({ productId: p.id, version: p.version })));
          for (const id of gone.filter((id) => parentOf.has(id))) await deleteLinks(trx, input.connectionId, id);
          // The per-product saga creates (or finds by SKU) what the shop lacks.
          await requeueForSaga(trx, gone);
          await writeSyncLog(trx, log);
          await dequeue(trx, input.connectionId, queued);
        });
        return {
          ...result,
          pushed: updated.length,
          failed: log.filter((l) => l.status === 'failed').length,
          relinked: gone.length,
          requests: client.requestCount - before,
        };
      });
    },
  };
}

