import { ApplicationFailure } from '@temporalio/common';
import { toWooVariation } from '../../domain/woo-mapping';
import type { ProductSnapshot } from '../../domain/product';
import type { WooClient } from './client';
import { chunk, isDuplicateSkuError } from './batch';
import type { ProductLink } from '../pos/links';
import { withCreateKey } from './shop-creations';

export interface VariationLink {
  variantId: number;
  remoteId: number;
}

/**
 * The shop's variations of a linked parent, as upsertVariations wants them: from the links when
 * every variant is linked (no request), otherwise listed from the shop.
 */
export async function remoteVariationsOf(
  client: WooClient, snapshot: ProductSnapshot, remoteParentId: number, links: ProductLink[],
): Promise<{ id: number; sku: string }[]> {
  const skuOf = new Map(snapshot.variants.map((v) => [v.id, v.sku]));
  const linked = links.filter((l) => l.productId === snapshot.id && l.variantId !== null && skuOf.has(l.variantId));
  if (snapshot.variants.every((v) => linked.some((l) => l.variantId === v.id))) {
    return linked.map((l) => ({ id: l.remoteId, sku: skuOf.get(l.variantId!)! }));
  }
  return client.listAllVariations(remoteParentId);
}

export interface UpsertVariationsOptions {
  /** Carried in the meta of every variation created (issue 6 point 3). */
  createKey?: string;
  /** False: a variation that must be created fails the call (VariationsToCreate) instead; the saga creates. */
  create?: boolean;
}

/**
 * Creates the variations the shop lacks and updates the others, matched by SKU; fails for good on
 * any item error. A linked variation deleted in the shop (the update answers *_invalid_id) is
 * created again (issue 6 point 5): its new id replaces the link.
 */
export async function upsertVariations(
  client: WooClient,
  snapshot: ProductSnapshot,
  remoteParentId: number,
  remote: { id: number; sku: string }[],
  opts: UpsertVariationsOptions = {},
): Promise<VariationLink[]> {
  const bySku = new Map(remote.map((r) => [r.sku.toLowerCase(), r.id]));
  const createBody = (v: ProductSnapshot['variants'][number]) => {
    const body = toWooVariation(snapshot.id, v);
    return opts.createKey ? withCreateKey(body, opts.createKey) : body;
  };
  const ops = snapshot.variants.map((v) => {
    const id = bySku.get(v.sku.toLowerCase());
    return id === undefined
      ? { variant: v, op: 'create' as const, body: createBody(v) }
      : { variant: v, op: 'update' as const, body: { id, ...toWooVariation(snapshot.id, v) } };
  });
  if (opts.create === false && ops.some((o) => o.op === 'create')) {
    throw ApplicationFailure.nonRetryable(`variations of ${snapshot.sku} must be created`, VARIATIONS_TO_CREATE);
  }
  const links: VariationLink[] = [];
  const gone: typeof ops = [];
  const run = async (part: typeof ops) => {
    const creates = part.filter((o) => o.op === 'create');
    const updates = part.filter((o) => o.op === 'update');
    const res = await client.batchVariations(remoteParentId, {
      create: creates.map((o) => o.body),
      update: updates.map((o) => o.body as { id: number }),
    });
    const results = [...(res.create ?? []).map((r, i) => ({ r, o: creates[i]! })), ...(res.update ?? []).map((r, i) => ({ r, o: updates[i]! }))];
    const failed: typeof results = [];
    for (const x of results) {
      const error = 'error' in x.r ? (x.r as { error?: { code: string } }).error : undefined;
      const holder = x.o.op === 'create' ? isDuplicateSkuError(x.r) : undefined;
      if (!error) links.push({ variantId: x.o.variant.id, remoteId: (x.r as { id: number }).id });
      else if (x.o.op === 'update' && error.code.endsWith('_invalid_id')) gone.push(x.o);
      // The SKU landed meanwhile (an earlier batch whose answer was lost, check-then-insert):
      // that variation is updated and linked instead; one under another product stays refused.
      else if (holder && !held.has(x.o.variant.id)) held.set(x.o.variant.id, holder);
      else failed.push(x);
    }
    if (failed.length > 0) {
      const why = failed.map(({ r, o }) => `${o.variant.sku}: ${(r as any).error.code} ${(r as any).error.message}`).join('; ');
      throw ApplicationFailure.nonRetryable(`variations of ${snapshot.sku} were refused by the shop: ${why}`, 'VariationRejected');
    }
  };
  const held = new Map<number, number>();
  for (const part of chunk(ops, 100)) await run(part);
  const adopt = ops.filter((o) => o.op === 'create' && held.has(o.variant.id));
  if (adopt.length > 0) {
    const asUpdates = adopt.map((o) => ({ ...o, op: 'update' as const, body: { id: held.get(o.variant.id)!, ...toWooVariation(snapshot.id, o.variant) } }));
    for (const part of chunk(asUpdates, 100)) await run(part);
  }
  if (gone.length > 0) {
    if (opts.create === false) {
      throw ApplicationFailure.nonRetryable(
        `variations ${gone.map((o) => o.variant.sku).join(', ')} of ${snapshot.sku} are gone from the shop`, VARIATIONS_TO_CREATE,
      );
    }
    for (const part of chunk(gone.map((o) => ({ ...o, op: 'create' as const, body: createBody(o.variant) })), 100)) await run(part);
  }
  return links;
}

/** Failure type: variations must be created, which only the product's own push saga does (issue 6 point 4). */
export const VARIATIONS_TO_CREATE = 'VariationsToCreate';
