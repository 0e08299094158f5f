import { heartbeat } from '@temporalio/activity';
import { withHeartbeats } from '../heartbeat';
import { eachLimited } from '../each-limited';
import { ApplicationFailure } from '@temporalio/common';
import { isSoldOnline, type ProductSnapshot } from '../../domain/product';
import { toWooProduct, toWooProductCreate } from '../../domain/woo-mapping';
import { NO_MEDIA } from '../../domain/woo-images';
import { imageProblemLog, loadKnownMedia, rememberMediaMany, rememberVariationMedia, retryItemWithoutImageProblem, variationImageOptions } from './media';
import { getConnection } from '../pos/connections';
import { linksOf, saveLinks, type ProductLink } from '../pos/links';
import { loadProductSnapshots } from '../pos/snapshot';
import { writeSyncLog, type SyncLogEntry } from '../pos/sync-log';
import { isDuplicateSkuError } from './batch';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { remoteVariationsOf, upsertVariations } from './variations';

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
     * Links and pushes one range (at most 100 products) with the batch endpoints: one SKU
     * lookup for the unlinked, one product batch, one variation batch per variable product.
     * Safe to retry: links are looked up by SKU again, so nothing is created twice.
     */
    async syncCatalogRange(input: { connectionId: string; range: CatalogRange }): Promise<CatalogPageResult> {
      return withHeartbeats(() => withWooErrors(async () => {
        const connection = await getConnection(db, input.connectionId);
        if (!connection) throw ApplicationFailure.nonRetryable(`connection ${input.connectionId} does not exist`, 'UnknownConnection');
        const client = deps.woo.get(input.connectionId);
        const before = client.requestCount;
        const ids: number[] = (
          await db('products').where('id', '>', input.range.afterId).andWhere('id', '<=', input.range.lastId).orderBy('id').select('id')
        ).map((r) => r.id);
        const snapshots = await loadProductSnapshots(db, ids, [connection.outletId]);
        const links = await linksOf(db, input.connectionId, ids);
        const parentLink = new Map(links.filter((l) => l.variantId === null).map((l) => [l.productId, l.remoteId]));
        const products = [...snapshots.values()].filter((p) => parentLink.has(p.id) || isSoldOnline(p));

        const unlinked = products.filter((p) => !parentLink.has(p.id));
        const found = unlinked.length > 0 ? await client.findBySkus(unlinked.map((p) => p.sku)) : [];
        const remoteBySku = new Map(found.filter((r) => r.type !== 'variation').map((r) => [r.sku, r.id]));
        heartbeat();

        const remoteId = new Map<number, number>();
        const created = new Set<number>();
        const log: SyncLogEntry[] = [];
        const fail = (p: ProductSnapshot, message: string) =>
          log.push({ connectionId: input.connectionId, productId: p.id, action: 'catalog_sync', status: 'failed', message });

        const toUpdate = products.filter((p) => parentLink.has(p.id) || remoteBySku.has(p.sku));
        const toCreate = products.filter((p) => !parentLink.has(p.id) && !remoteBySku.has(p.sku));
        // Images by media id once uploaded; new products start with the POS weight (issue 6 points 1, 7).
        const media = await loadKnownMedia(db, input.connectionId, products.map((p) => p.id));
        const createBody = (p: ProductSnapshot) => toWooProductCreate(p, { media: media.get(p.id) ?? NO_MEDIA });
        const updateBody = (p: ProductSnapshot) => toWooProduct(p, { media: media.get(p.id) ?? NO_MEDIA });
        const sentImages = new Map<number, ReturnType<typeof updateBody>['images']>();
        const first = {
          create: toCreate.map(createBody),
          update: toUpdate.map((p) => ({ id: parentLink.get(p.id) ?? remoteBySku.get(p.sku)!, ...updateBody(p) })),
        };
        const res = await client.batchProducts(first);
        // An item refused for an image goes once more without it: the rest of the product is not held back (point 2).
        const imageRetry = { create: [] as number[], update: [] as number[] };
        const retried = { create: [] as typeof first.create, update: [] as typeof first.update };
        for (const op of ['create', 'update'] as const) {
          for (const [i, r] of (res[op] ?? []).entries()) {
            if (!('error' in r && r.error)) continue;
            const retry = retryItemWithoutImageProblem(first[op][i]!, r.error);
            if (!retry) continue;
            const p = (op === 'create' ? toCreate : toUpdate)[i]!;
            log.push(imageProblemLog({ connectionId: input.connectionId, productId: p.id, variantId: null, sku: p.sku }, retry.problem));
            imageRetry[op].push(i);
            (retried[op] as unknown[]).push(retry.body);
          }
        }
        if (retried.create.length + retried.update.length > 0) {
          const again = await client.batchProducts(retried);
          for (const op of ['create', 'update'] as const) {
            (again[op] ?? []).forEach((r, j) => {
              const i = imageRetry[op][j]!;
              (res[op] as unknown[])[i] = r;
              first[op][i] = retried[op][j] as never;
            });
          }
        }
        first.create.forEach((b, i) => sentImages.set(toCreate[i]!.id, b.images));
        first.update.forEach((b, i) => sentImages.set(toUpdate[i]!.id, b.images));
        const answeredImages = new Map<number, { id: number }[]>();
        for (const [list, answers] of [[toCreate, res.create ?? []], [toUpdate, res.update ?? []]] as const) {
          answers.forEach((r, i) => {
            if (!('error' in r && r.error)) answeredImages.set(list[i]!.id, (r as { images?: { id: number }[] }).images ?? []);
          });
        }
        const retryAsUpdate: { p: ProductSnapshot; id: number }[] = [];
        (res.create ?? []).forEach((r, i) => {
          const p = toCreate[i]!;
          if ('error' in r && r.error) {
            const holder = isDuplicateSkuError(r);
            if (holder) retryAsUpdate.push({ p, id: holder });
            else fail(p, `create refused: ${r.error.code} ${r.error.message}`);
          } else {
            remoteId.set(p.id, (r as { id: number }).id);
            created.add(p.id);
          }
        });
        const gone: ProductSnapshot[] = [];
        (res.update ?? []).forEach((r, i) => {
          const p = toUpdate[i]!;
          // A linked product deleted in the shop (or a sandbox restarted empty) is created again.
          if ('error' in r && r.error && /invalid_id/.test(r.error.code)) gone.push(p);
          else if ('error' in r && r.error) fail(p, `update refused: ${r.error.code} ${r.error.message}`);
          else remoteId.set(p.id, (r as { id: number }).id);
        });
        if (gone.length > 0) {
          const again = await client.batchProducts({ create: gone.map(createBody) });
          (again.create ?? []).forEach((r, i) => {
            const p = gone[i]!;
            if ('error' in r && r.error) fail(p, `create refused: ${r.error.code} ${r.error.message}`);
            else {
              remoteId.set(p.id, (r as { id: number }).id);
              created.add(p.id);
            }
          });
        }
        if (retryAsUpdate.length > 0) {
          const again = await client.batchProducts({ update: retryAsUpdate.map(({ p, id }) => ({ id, ...updateBody(p) })) });
          (again.update ?? []).forEach((r, i) => {
            const { p } = retryAsUpdate[i]!;
            if ('error' in r && r.error) fail(p, `update refused: ${r.error.code} ${r.error.message}`);
            else remoteId.set(p.id, (r as { id: number }).id);
          });
        }
        heartbeat();

        const newLinks: ProductLink[] = [];
        const variable = products.filter((p) => p.type === 'variable' && remoteId.has(p.id));
        await eachLimited(variable, VARIATION_CONCURRENCY, async (p) => {
          const parentId = remoteId.get(p.id)!;
          try {
            const remote = created.has(p.id) ? [] : await remoteVariationsOf(client, p, parentId, links);
            const vl = await upsertVariations(client, p, parentId, remote, variationImageOptions({
              productId: p.id, media: media.get(p.id) ?? NO_MEDIA,
              onProblem: async (variantId, problem) => {
                log.push(imageProblemLog({ connectionId: input.connectionId, productId: p.id, variantId, sku: p.sku }, problem));
              },
            }));
            await rememberVariationMedia(db, input.connectionId, p.id, vl, media.get(p.id) ?? NO_MEDIA);
            newLinks.push(...vl.map((v) => ({ connectionId: input.connectionId, productId: p.id, variantId: v.variantId, remoteId: v.remoteId, remoteParentId: parentId })));
          } catch (err) {
            remoteId.delete(p.id);
            fail(p, `variations failed: ${err instanceof Error ? err.message : String(err)}`);
            // Same rule as the push saga: a product created here without its variations is undone.
            if (created.has(p.id)) await client.deleteProduct(parentId, { force: true }).catch(() => undefined);
          }
          heartbeat();
        });
        await rememberMediaMany(db, input.connectionId, [...remoteId.keys()].filter((id) => answeredImages.has(id)).map((productId) => ({
          productId, variantId: null, sent: sentImages.get(productId), answered: answeredImages.get(productId),
        })), media);
        for (const [productId, id] of remoteId) {
          newLinks.push({ connectionId: input.connectionId, productId, variantId: null, remoteId: id, remoteParentId: null });
          const p = snapshots.get(productId)!;
          log.push({
            connectionId: input.connectionId, productId, action: 'catalog_sync', status: 'ok',
            message: `${created.has(productId) ? 'created' : 'updated'} ${p.sku}`,
          });
        }
        await db.transaction(async (trx) => {
          await saveLinks(trx, newLinks, null);
          await writeSyncLog(trx, log);
        });
        return {
          products: products.length,
          created: [...remoteId.keys()].filter((id) => created.has(id)).length,
          updated: [...remoteId.keys()].filter((id) => !created.has(id)).length,
          failed: log.filter((l) => l.status === 'failed').length,
          requests: client.requestCount - before,
        };
      }));
    },
  };
}


