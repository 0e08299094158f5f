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
import { toWooProductCreate, writtenStock } from '../../domain/woo-mapping';
import { NO_MEDIA } from '../../domain/woo-images';
import { eachLimited } from '../each-limited';
import { recordPushedStock, saveLinks, type ProductLink } from '../pos/links';
import type { SyncLogEntry } from '../pos/sync-log';
import type { WooClient } from './client';
import { WooApiError } from './errors';
import { isBatchItemError } from './batch';
import { imageProblemLog, loadKnownMedia, rememberMediaMany, rememberVariationMedia, variationImageOptions } from './media';
import { claimCreations, settleCreations, withCreateKey } from './shop-creations';
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
    // A refusal of the whole batch made nothing: the products' own pushes create them one by one
    // (refused credentials fail the range, as any request would). Any other failure leaves the
    // claims open (outcome unknown).
    if (err instanceof WooApiError && err.status >= 400 && err.status < 500 && ![401, 403, 408, 429].includes(err.status)) {
      await settleCreations(db, claimed.map((p) => ({ id: claims.get(p.id)!.id, state: 'refused' as const })));
      out.handOff.push(...claimed.map((p) => p.id));
      return out;
    }
    if (err instanceof WooApiError && (err.status === 401 || err.status === 403)) {
      await settleCreations(db, claimed.map((p) => ({ id: claims.get(p.id)!.id, state: 'refused' as const })));
    }
    throw err;
  }
  heartbeat();

  const made = new Map<number, { id: number; images?: { id: number }[] }>();
  const settled: { id: number; state: 'done' | 'refused'; remoteId?: number }[] = [];
  for (const [i, p] of claimed.entries()) {
    const r = answers[i];
    if (r && !isBatchItemError(r)) {
      made.set(p.id, r as { id: number; images?: { id: number }[] });
      continue;
    }
    // Refused (an image the shop cannot fetch, a SKU it already holds...): the answer came, so
    // nothing of ours was made with a creation key; the product's own push creates or matches it,
    // leaving a broken image out and reporting it.
    settled.push({ id: claims.get(p.id)!.id, state: 'refused' });
    out.handOff.push(p.id);
  }
  await rememberMediaMany(db, c.connectionId, claimed.filter((p) => made.has(p.id)).map((p) => ({
    productId: p.id, variantId: null, sent: sent[claimed.indexOf(p)]!.images, answered: made.get(p.id)!.images,
  })), media);

  // Simple products are done; a variable product's variations are created while its claim is held.
  const done: { p: ProductSnapshot; links: ProductLink[] }[] = claimed.filter((p) => made.has(p.id) && p.type !== 'variable').map((p) => ({ p, links: [] }));
  const variable = claimed.filter((p) => made.has(p.id) && p.type === 'variable');
  const variationCreations = await claimCreations(db, { connectionId: c.connectionId, runId: c.runId, productIds: variable.map((p) => p.id), kind: 'variations' });
  let lost: unknown;
  await eachLimited(variable, VARIATION_CONCURRENCY, async (p) => {
    const parentId = made.get(p.id)!.id;
    const creation = variationCreations.get(p.id)!;
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
      settled.push({ id: creation.id, state: 'done' });
      await rememberVariationMedia(db, c.connectionId, p.id, vl, mediaOf(p));
      done.push({ p, links: vl.map((v) => ({ connectionId: c.connectionId, productId: p.id, variantId: v.variantId, remoteId: v.remoteId, remoteParentId: parentId })) });
    } catch (err) {
      // Lost answer: both stay open (the next creator waits for them). Refused items: what was made
      // is known; the parent is settled and the product's own push adopts it and finishes it.
      const refused = err instanceof WooApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
      if (!(err instanceof ApplicationFailure && err.nonRetryable) && !refused) {
        lost ??= err;
        return;
      }
      settled.push({ id: creation.id, state: refused ? 'refused' : 'done' }, { id: claims.get(p.id)!.id, state: 'done', remoteId: parentId });
      out.handOff.push(p.id);
    }
    heartbeat();
  });

  // Settled and linked together: a settled claim means a linked product.
  const byVersion = new Map<number, ProductLink[]>();
  for (const { p, links } of done) {
    const remoteId = made.get(p.id)!.id;
    settled.push({ id: claims.get(p.id)!.id, state: 'done', remoteId });
    byVersion.set(p.version, [...(byVersion.get(p.version) ?? []), { connectionId: c.connectionId, productId: p.id, variantId: null, remoteId, remoteParentId: null }, ...links]);
    out.created.push(p.id);
    c.log.push({ connectionId: c.connectionId, productId: p.id, workflowId: c.workflowId, action: 'catalog_sync', status: 'ok', message: `created ${p.sku}` });
  }
  await db.transaction(async (trx) => {
    for (const [version, links] of byVersion) await saveLinks(trx, links, version);
    await recordPushedStock(trx, c.connectionId, done.flatMap(({ p }) => writtenStock(p)));
    await settleCreations(trx, settled);
  });
  if (lost !== undefined) throw lost;
  return out;
}
