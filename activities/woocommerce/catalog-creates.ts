// Issue 6 point 4 with batches: the catalog sync creates the products the shop lacks in
// 100-object batches, yet each product still has exactly one creator at a time. Each product's
// creation claim (its unsettled create in shop_creations, unique per connection and product) is
// taken before anything is sent; a product whose claim a product-push holds is handed to it. The
// claim stays unsettled until the answer is read (and, for a variable product, its variations are
// created), so a lost answer leaves it open and the next creator waits for the create to land.
import { ApplicationFailure } from '@temporalio/common';
import { heartbeat } from '@temporalio/activity';
import type { Db } from '../../db/connection';
import type { ProductSnapshot } from '../../domain/product';
import { toWooProductCreate } from '../../domain/woo-mapping';
import { NO_MEDIA } from '../../domain/woo-images';
import { eachLimited } from '../each-limited';
import { saveLinks, type ProductLink } from '../pos/links';
import type { SyncLogEntry } from '../pos/sync-log';
import type { WooClient } from './client';
import { WooApiError } from './errors';
import { isBatchItemError } from './batch';
import { imageProblemLog, loadKnownMedia, rememberMediaMany, rememberVariationMedia, variationImageOptions } from './media';
import { claimCreations, recordCreation, settleCreation, withCreateKey } from './shop-creations';
import { upsertVariations } from './variations';

const VARIATION_CONCURRENCY = 8;

export interface CatalogCreates {
  created: number[];
  /** Claimed by a product-push, refused in the batch, or variations refused: the product's own workflow takes over. */
  handOff: number[];
}

export async function createClaimedInBatch(
  db: Db, client: WooClient,
  c: { connectionId: string; runId: string; workflowId: string | null; products: ProductSnapshot[]; log: SyncLogEntry[] },
): Promise<CatalogCreates> {
  const out: CatalogCreates = { created: [], handOff: [] };
  if (c.products.length === 0) return out;
  const claims = await claimCreations(db, { connectionId: c.connectionId, runId: c.runId, productIds: c.products.map((p) => p.id) });
  const claimed = c.products.filter((p) => claims.has(p.id));
  out.handOff.push(...c.products.filter((p) => !claims.has(p.id)).map((p) => p.id));
  if (claimed.length === 0) return out;

  const media = await loadKnownMedia(db, c.connectionId, claimed.map((p) => p.id));
  const mediaOf = (p: ProductSnapshot) => media.get(p.id) ?? NO_MEDIA;
  // A new shop product starts with the POS weight (issue 6 point 7); images go by media id (point 1).
  const sent = claimed.map((p) => withCreateKey(toWooProductCreate(p, { media: mediaOf(p) }), claims.get(p.id)!.key));
  let answers;
  try {
    answers = (await client.batchProducts({ create: sent })).create ?? [];
  } catch (err) {
    // A refusal of the whole batch made nothing; any other failure leaves the claims open (outcome unknown).
    if (err instanceof WooApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
      for (const p of claimed) await settleCreation(db, claims.get(p.id)!.id, 'refused');
    }
    throw err;
  }
  heartbeat();

  const made = new Map<number, { id: number; images?: { id: number }[] }>();
  for (const [i, p] of claimed.entries()) {
    const r = answers[i];
    if (r && !isBatchItemError(r)) {
      made.set(p.id, r as { id: number; images?: { id: number }[] });
      continue;
    }
    // Refused (an image the shop cannot fetch, a SKU it already holds...): the answer came, so
    // nothing of ours was made with a creation key; the product's own push creates or matches it,
    // leaving a broken image out and reporting it.
    await settleCreation(db, claims.get(p.id)!.id, 'refused');
    out.handOff.push(p.id);
  }
  await rememberMediaMany(db, c.connectionId, claimed.filter((p) => made.has(p.id)).map((p) => ({
    productId: p.id, variantId: null, sent: sent[claimed.indexOf(p)]!.images, answered: made.get(p.id)!.images,
  })), media);

  // Simple products are done: settled and linked together, so a settled claim means a linked product.
  const linkAndSettle = async (p: ProductSnapshot, links: ProductLink[]) => {
    const remoteId = made.get(p.id)!.id;
    await db.transaction(async (trx) => {
      await saveLinks(trx, [{ connectionId: c.connectionId, productId: p.id, variantId: null, remoteId, remoteParentId: null }, ...links], p.version);
      await trx('shop_creations').where({ id: claims.get(p.id)!.id }).update({ state: 'done', remote_id: remoteId, settled_at: trx.fn.now() });
    });
    out.created.push(p.id);
    c.log.push({ connectionId: c.connectionId, productId: p.id, workflowId: c.workflowId, action: 'catalog_sync', status: 'ok', message: `created ${p.sku}` });
  };
  for (const p of claimed) if (made.has(p.id) && p.type !== 'variable') await linkAndSettle(p, []);

  // Variable products: their variations are created while the parent's claim is still held.
  const variable = claimed.filter((p) => made.has(p.id) && p.type === 'variable');
  await eachLimited(variable, VARIATION_CONCURRENCY, async (p) => {
    const parentId = made.get(p.id)!.id;
    const creation = await recordCreation(db, { connectionId: c.connectionId, productId: p.id, kind: 'variations', runId: c.runId, creator: 'catalog_sync' });
    try {
      const vl = await upsertVariations(client, p, parentId, [], {
        ...variationImageOptions({
          productId: p.id, media: mediaOf(p),
          onProblem: async (variantId, problem) => {
            c.log.push(imageProblemLog({ connectionId: c.connectionId, productId: p.id, variantId, sku: p.sku, workflowId: c.workflowId }, problem));
          },
        }),
        createKey: creation.key,
      });
      await settleCreation(db, creation.id, 'done');
      await rememberVariationMedia(db, c.connectionId, p.id, vl, mediaOf(p));
      await linkAndSettle(p, vl.map((v) => ({ connectionId: c.connectionId, productId: p.id, variantId: v.variantId, remoteId: v.remoteId, remoteParentId: parentId })));
    } catch (err) {
      // Lost answer: both stay open (the next creator waits for them). Refused items: what was made
      // is known; the parent is settled and the product's own push adopts it and finishes it.
      const refused = err instanceof WooApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
      if (!(err instanceof ApplicationFailure && err.nonRetryable) && !refused) throw err;
      await settleCreation(db, creation.id, refused ? 'refused' : 'done');
      await settleCreation(db, claims.get(p.id)!.id, 'done', parentId);
      out.handOff.push(p.id);
    }
    heartbeat();
  });
  return out;
}
