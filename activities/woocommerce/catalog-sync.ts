import { activityInfo, heartbeat } from '@temporalio/activity';
import { withHeartbeats } from '../heartbeat';
import type { Knex } from 'knex';
import { eachLimited } from '../each-limited';
import { ApplicationFailure } from '@temporalio/common';
import { isSoldOnline, type ProductSnapshot } from '../../domain/product';
import { toWooProduct, writtenStock } from '../../domain/woo-mapping';
import { NO_MEDIA } from '../../domain/woo-images';
import { imageProblemLog, loadKnownMedia, rememberMediaMany, rememberVariationMedia, retryItemWithoutImageProblem, variationImageOptions } from './media';
import { getConnection } from '../pos/connections';
import { deleteLinks, linksOf, recordPushedStock, saveLinks, type ProductLink } from '../pos/links';
import { loadConnectionSnapshots } from '../pos/connection-outlets';
import { writeSyncLog, type SyncLogEntry } from '../pos/sync-log';
import { isOurProduct } from './shop-creations';
import { leaveTrashedOut } from './trash';
import { createClaimedInBatch } from './catalog-creates';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { remoteVariationsOf, upsertVariations, VARIATIONS_TO_CREATE } from './variations';

export interface CatalogRange {
  /** Product ids in (afterId, lastId]. */
  afterId: number;
  lastId: number;
  count: number;
}

export interface CatalogPageResult {
  products: number;
  created: number;
  updated: number;
  failed: number;
  requests: number;
  /** Linked products left alone because they are trashed in the shop. */
  trashed?: number;
  /** Products handed to product-push/<id> to be created (or to get variations created). */
  handedOff?: number[];
}

export interface HandOffOutcome {
  linked: number;
  failed: number;
  /** Still not linked nor failed when the wait ended. */
  pending: number[];
}

/** Issue 6 point 4: creation is the product's own workflow's job; the dispatcher signals it (reason catalog_sync). */
async function handToProductPush(trx: Knex.Transaction, productIds: number[]): Promise<void> {
  if (productIds.length === 0) return;
  await trx('push_outbox').insert(productIds.map((id) => ({ product_id: id, reason: 'catalog_sync' })));
}

const VARIATION_CONCURRENCY = 8;

export function createCatalogSyncActivities(deps: PushDeps) {
  const { db } = deps;
  return {
    /** Splits the catalog after `afterId` into ranges of `pageSize` products (those sold online or already linked). */
    async planCatalogRanges(input: { connectionId: string; afterId: number; pageSize: number; maxRanges: number }): Promise<CatalogRange[]> {
      const rows: { range_no: number; first_id: number; last_id: number; count: number }[] = (
        await db.raw(
          `SELECT (rn - 1) / ? AS range_no, min(id) AS first_id, max(id) AS last_id, count(*)::int AS count
             FROM (SELECT p.id, row_number() OVER (ORDER BY p.id) AS rn
                     FROM products p
                    WHERE p.id > ? AND ('online' = ANY(p.channels)
                          OR EXISTS (SELECT 1 FROM product_links l WHERE l.product_id = p.id AND l.connection_id = ?))
                    ORDER BY p.id LIMIT ?) page
            GROUP BY 1 ORDER BY 1`,
          [input.pageSize, input.afterId, input.connectionId, input.pageSize * input.maxRanges],
        )
      ).rows;
      let after = input.afterId;
      return rows.map((r) => {
        const range = { afterId: after, lastId: Number(r.last_id), count: Number(r.count) };
        after = range.lastId;
        return range;
      });
    },

    /**
     * Links and pushes one range (at most 100 products) with the batch endpoints: one SKU lookup
     * for the unlinked, one trash check and one product batch for the rest, one variation batch per
     * variable product, one create batch for the products the shop lacks. A product has one creator
     * at a time (issue 6 point 4): the batch only creates the products whose creation claim it took;
     * the others (and variations missing under a linked product) are handed to their own push
     * workflow, product-push/<id>, through the push outbox (signal-with-start). Safe to retry.
     */
    async syncCatalogRange(input: { connectionId: string; range: CatalogRange }): Promise<CatalogPageResult> {
      return withHeartbeats(() => withWooErrors(async () => {
        const connection = await getConnection(db, input.connectionId);
        if (!connection) throw ApplicationFailure.nonRetryable(`connection ${input.connectionId} does not exist`, 'UnknownConnection');
        const client = deps.woo.get(input.connectionId);
        const before = client.requestCount;
        const workflowId = activityInfo().workflowExecution?.workflowId ?? null;
        const ids: number[] = (
          await db('products').where('id', '>', input.range.afterId).andWhere('id', '<=', input.range.lastId).orderBy('id').select('id')
        ).map((r) => r.id);
        const snapshots = await loadConnectionSnapshots(db, connection.id, ids);
        const links = await linksOf(db, input.connectionId, ids);
        const parentLink = new Map(links.filter((l) => l.variantId === null).map((l) => [l.productId, l.remoteId]));
        const products = [...snapshots.values()].filter((p) => parentLink.has(p.id) || (isSoldOnline(p) && !p.archived));

        const handOff = new Set<number>();
        const unlinked = products.filter((p) => !parentLink.has(p.id));
        const found = unlinked.length > 0 ? await client.findBySkus(unlinked.map((p) => p.sku)) : [];
        const bySku = new Map<string, typeof found>();
        for (const r of found) bySku.set(r.sku.toLowerCase(), [...(bySku.get(r.sku.toLowerCase()) ?? []), r]);
        // Linked here by SKU (M-B5): a simple shop product of someone else's. A product the shop
        // lacks is created here in a batch once its creation claim is taken (catalog-creates.ts).
        // A variable product found by SKU (its variations may need creating) and a product of ours
        // whose create may still be running go to the product's own workflow.
        const matched = new Map<number, number>();
        const toCreate: ProductSnapshot[] = [];
        for (const p of unlinked) {
          const hits = bySku.get(p.sku.toLowerCase()) ?? [];
          if (hits.length === 0) {
            toCreate.push(p);
            continue;
          }
          const only = hits.length === 1 ? hits[0]! : undefined;
          if (only && only.type === 'simple' && p.type === 'simple' && !isOurProduct(only.meta_data, p.id)) matched.set(p.id, only.id);
          else handOff.add(p.id);
        }
        heartbeat();

        const log: SyncLogEntry[] = [];
        const fail = (p: ProductSnapshot, message: string) =>
          log.push({ connectionId: input.connectionId, productId: p.id, workflowId, action: 'catalog_sync', status: 'failed', message });
        const remoteOf = (p: ProductSnapshot) => parentLink.get(p.id) ?? matched.get(p.id)!;
        const linked = products.filter((p) => parentLink.has(p.id));
        // An id the shop gave to another product is not updated: the product's own push relinks or creates ours (issue 8 point 1).
        const { trashed, taken } = await leaveTrashedOut(db, client, input.connectionId, linked.map((p) => ({ productId: p.id, sku: p.sku, remoteId: remoteOf(p) })), workflowId);
        const toUpdate = products.filter((p) => (parentLink.has(p.id) && !trashed.has(p.id) && !taken.has(p.id)) || matched.has(p.id));
        const updated = new Set<number>();
        const gone: number[] = [...taken];
        // Images go by media id once uploaded (issue 6 point 1).
        const media = await loadKnownMedia(db, input.connectionId, toUpdate.map((p) => p.id));
        const mediaOf = (p: ProductSnapshot) => media.get(p.id) ?? NO_MEDIA;
        const sent = toUpdate.map((p) => ({ id: remoteOf(p), ...toWooProduct(p, { media: mediaOf(p) }) }));
        const answeredImages = new Map<number, { id: number }[]>();
        if (toUpdate.length > 0) {
          const answers = [...((await client.batchProducts({ update: sent })).update ?? [])];
          // An item refused for an image goes once more without it: the rest of the product is not held back (point 2).
          const again: { i: number; body: (typeof sent)[number] }[] = [];
          answers.forEach((r, i) => {
            const retry = 'error' in r && r.error ? retryItemWithoutImageProblem(sent[i]!, r.error) : undefined;
            if (!retry) return;
            const p = toUpdate[i]!;
            log.push(imageProblemLog({ connectionId: input.connectionId, productId: p.id, variantId: null, sku: p.sku, workflowId }, retry.problem));
            again.push({ i, body: retry.body });
          });
          if (again.length > 0) {
            const res = await client.batchProducts({ update: again.map((a) => a.body) });
            (res.update ?? []).forEach((r, j) => {
              answers[again[j]!.i] = r;
              sent[again[j]!.i] = again[j]!.body;
            });
          }
          answers.forEach((r, i) => {
            const p = toUpdate[i]!;
            // A linked product deleted in the shop: its link is dropped and its workflow creates it again (point 5).
            if ('error' in r && r.error && /invalid_id/.test(r.error.code)) gone.push(p.id);
            else if ('error' in r && r.error) fail(p, `update refused: ${r.error.code} ${r.error.message}`);
            else {
              updated.add(p.id);
              answeredImages.set(p.id, (r as { images?: { id: number }[] }).images ?? []);
            }
          });
        }
        heartbeat();

        const newLinks: ProductLink[] = [];
        const variable = products.filter((p) => p.type === 'variable' && updated.has(p.id));
        await eachLimited(variable, VARIATION_CONCURRENCY, async (p) => {
          const parentId = remoteOf(p);
          try {
            const remote = await remoteVariationsOf(client, p, parentId, links);
            const vl = await upsertVariations(client, p, parentId, remote, {
              ...variationImageOptions({
                productId: p.id, media: mediaOf(p),
                onProblem: async (variantId, problem) => {
                  log.push(imageProblemLog({ connectionId: input.connectionId, productId: p.id, variantId, sku: p.sku, workflowId }, problem));
                },
              }),
              create: false,
            });
            await rememberVariationMedia(db, input.connectionId, p.id, vl, mediaOf(p));
            newLinks.push(...vl.map((v) => ({ connectionId: input.connectionId, productId: p.id, variantId: v.variantId, remoteId: v.remoteId, remoteParentId: parentId })));
          } catch (err) {
            if (!(err instanceof ApplicationFailure) || !err.nonRetryable) throw err;
            updated.delete(p.id);
            if (err.type === VARIATIONS_TO_CREATE) handOff.add(p.id);
            else fail(p, `variations failed: ${err.message}`);
          }
          heartbeat();
        });
        for (const p of products) {
          if (!updated.has(p.id)) continue;
          if (matched.has(p.id)) newLinks.push({ connectionId: input.connectionId, productId: p.id, variantId: null, remoteId: matched.get(p.id)!, remoteParentId: null });
          log.push({
            connectionId: input.connectionId, productId: p.id, workflowId, action: 'catalog_sync', status: 'ok',
            message: `${matched.has(p.id) ? 'linked by SKU and updated' : 'updated'} ${p.sku}`,
          });
        }
        await rememberMediaMany(db, input.connectionId, toUpdate.filter((p) => updated.has(p.id)).map((p) => ({
          productId: p.id, variantId: null, sent: sent[toUpdate.indexOf(p)]!.images, answered: answeredImages.get(p.id),
        })), media);
        const creates = await createClaimedInBatch(db, client, {
          connectionId: input.connectionId, runId: activityInfo().workflowExecution?.runId ?? 'catalog-sync', workflowId, products: toCreate, log,
        });
        for (const id of creates.handOff) handOff.add(id);
        for (const id of gone) handOff.add(id);
        await db.transaction(async (trx) => {
          for (const id of gone) await deleteLinks(trx, input.connectionId, id);
          await saveLinks(trx, newLinks, null);
          await recordPushedStock(trx, input.connectionId, products.filter((p) => updated.has(p.id)).flatMap(writtenStock));
          await writeSyncLog(trx, log);
          await handToProductPush(trx, [...handOff]);
        });
        return {
          products: products.length,
          created: creates.created.length,
          updated: updated.size,
          failed: log.filter((l) => l.status === 'failed').length,
          requests: client.requestCount - before,
          trashed: trashed.size,
          handedOff: [...handOff],
        };
      }));
    },

    /**
     * Waits (heartbeating) until the products handed to their push workflows are linked in the
     * shop, or their create failed, for at most `maxWaitMs`; reports how each ended.
     */
    async awaitHandedOff(input: { connectionId: string; productIds: number[]; logAfterId: string; maxWaitMs?: number }): Promise<HandOffOutcome> {
      const deadline = Date.now() + (input.maxWaitMs ?? 5 * 60_000);
      for (;;) {
        // Linked: the parent and every variant.
        const linked: number[] = (
          await db.raw(
            `SELECT p.id FROM products p
              WHERE p.id = ANY(?)
                AND EXISTS (SELECT 1 FROM product_links l WHERE l.connection_id = ? AND l.product_id = p.id AND l.variant_id IS NULL)
                AND (SELECT count(*) FROM variants v WHERE v.product_id = p.id)
                    <= (SELECT count(*) FROM product_links l WHERE l.connection_id = ? AND l.product_id = p.id AND l.variant_id IS NOT NULL)`,
            [input.productIds, input.connectionId, input.connectionId],
          )
        ).rows.map((r: { id: number }) => r.id);
        const failed: number[] = (
          await db('sync_log').where({ connection_id: input.connectionId }).where('id', '>', input.logAfterId)
            .whereIn('status', ['failed', 'compensated', 'compensation_failed']).whereIn('product_id', input.productIds).distinct('product_id')
        ).map((r) => r.product_id);
        const done = new Set([...linked, ...failed]);
        const pending = input.productIds.filter((id) => !done.has(id));
        if (pending.length === 0 || Date.now() > deadline) {
          return { linked: linked.length, failed: failed.filter((id) => !linked.includes(id)).length, pending };
        }
        heartbeat({ pending: pending.length });
        await new Promise((r) => setTimeout(r, 500));
      }
    },

    /** The sync log position before a handoff: failures after it belong to the handed-off creates. */
    async syncLogWatermark(): Promise<string> {
      const row = await db('sync_log').max({ id: 'id' }).first();
      return String(row?.id ?? 0);
    },
  };
}


