import { ApplicationFailure } from '@temporalio/common';
import { toWooVariation, type WooVariationPayload } from '../../domain/woo-mapping';
import type { ProductSnapshot, VariantSnapshot } from '../../domain/product';
import type { WooImageRef } from '../../domain/woo-images';
import type { WooClient } from './client';
import { chunk, isDuplicateSkuError } from './batch';
import type { ProductLink } from '../pos/links';
import { withCreateKey } from './shop-creations';

export interface VariationLink {
  variantId: number;
  remoteId: number;
  /** The image sent (absent: left alone) and the media id the shop answered, for activities/woocommerce/media.ts. */
  sentImage?: WooImageRef;
  imageId?: number;
  /** The stock level written to it; absent when its stock was not written (M-D8). */
  stock?: number;
}

export interface UpsertVariationsOptions {
  /** The body of one variation (default toWooVariation, no media ids). */
  body?: (v: VariantSnapshot, op: 'create' | 'update') => WooVariationPayload;
  /** A refused item: the body to send once more (e.g. without its image), or undefined to fail. */
  retryItem?: (variantId: number, body: WooVariationPayload, error: { code: string; message: string }) => Promise<WooVariationPayload | undefined>;
  /** Carried in the meta of every variation created (issue 6 point 3). */
  createKey?: string;
  /** False: a variation that must be created fails the call (VariationsToCreate) instead; the saga creates. */
  create?: boolean;
}

/** Failure type: variations must be created, which only the product's own push saga does (issue 6 point 4). */
export const VARIATIONS_TO_CREATE = 'VariationsToCreate';

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

type ItemError = { code: string; message: string };
type Answer = { id: number; image?: { id?: number } | null; error?: ItemError };

/**
 * Creates the variations the shop lacks and updates the others, matched by SKU; fails for good on
 * any item error. A linked variation deleted in the shop (the update answers *_invalid_id) is
 * created again (issue 6 point 5): its new id replaces the link. A create refused because its SKU
 * landed meanwhile (a lost answer, check-then-insert) is taken over as an update (issue 6 point 3).
 */
export async function upsertVariations(
  client: WooClient,
  snapshot: ProductSnapshot,
  remoteParentId: number,
  remote: { id: number; sku: string }[],
  opts: UpsertVariationsOptions = {},
): Promise<VariationLink[]> {
  const bodyOf = (v: VariantSnapshot, op: 'create' | 'update'): WooVariationPayload => {
    const body = opts.body ? opts.body(v, op) : toWooVariation(snapshot.id, v);
    return op === 'create' && opts.createKey ? withCreateKey(body, opts.createKey) : body;
  };
  type Op = { variant: VariantSnapshot; op: 'create' | 'update'; body: WooVariationPayload & { id?: number } };
  const asCreate = (v: VariantSnapshot): Op => ({ variant: v, op: 'create', body: bodyOf(v, 'create') });
  const asUpdate = (v: VariantSnapshot, id: number): Op => ({ variant: v, op: 'update', body: { id, ...bodyOf(v, 'update') } });

  const bySku = new Map(remote.map((r) => [r.sku.toLowerCase(), r.id]));
  const ops = snapshot.variants.map((v) => {
    const id = bySku.get(v.sku.toLowerCase());
    return id === undefined ? asCreate(v) : asUpdate(v, id);
  });
  if (opts.create === false && ops.some((o) => o.op === 'create')) {
    throw ApplicationFailure.nonRetryable(`variations of ${snapshot.sku} must be created`, VARIATIONS_TO_CREATE);
  }
  const links: VariationLink[] = [];
  const gone: Op[] = [];
  const held = new Map<number, number>();

  const send = async (part: Op[]): Promise<{ r: Answer; o: Op }[]> => {
    const creates = part.filter((o) => o.op === 'create');
    const updates = part.filter((o) => o.op === 'update');
    const res = await client.batchVariations(remoteParentId, {
      create: creates.map((o) => o.body),
      update: updates.map((o) => o.body as { id: number }),
    });
    return [
      ...(res.create ?? []).map((r, i) => ({ r: r as Answer, o: creates[i]! })),
      ...(res.update ?? []).map((r, i) => ({ r: r as Answer, o: updates[i]! })),
    ];
  };

  const run = async (part: Op[]): Promise<void> => {
    let results = await send(part);
    // Items refused for a reason the caller can correct (an image) go once more, alone.
    if (opts.retryItem) {
      const again: Op[] = [];
      for (const { r, o } of results) {
        if (!r.error || (o.op === 'update' && r.error.code.endsWith('_invalid_id'))) continue;
        const body = await opts.retryItem(o.variant.id, o.body, r.error);
        if (body) again.push({ ...o, body });
      }
      if (again.length > 0) {
        const retried = new Set(again.map((o) => o.variant.id));
        results = [...results.filter(({ o }) => !retried.has(o.variant.id)), ...(await send(again))];
      }
    }
    const failed: { r: Answer; o: Op }[] = [];
    for (const x of results) {
      const holder = x.o.op === 'create' ? isDuplicateSkuError(x.r) : undefined;
      if (!x.r.error) {
        links.push({
          variantId: x.o.variant.id, remoteId: x.r.id,
          ...(x.o.body.image !== undefined ? { sentImage: x.o.body.image } : {}),
          ...(x.r.image?.id ? { imageId: Number(x.r.image.id) } : {}),
          ...(typeof x.o.body.stock_quantity === 'number' ? { stock: x.o.body.stock_quantity } : {}),
        });
      } else if (x.o.op === 'update' && x.r.error.code.endsWith('_invalid_id')) gone.push(x.o);
      // The SKU landed meanwhile: that variation is updated and linked instead; one under another product stays refused.
      else if (holder && !held.has(x.o.variant.id)) held.set(x.o.variant.id, holder);
      else failed.push(x);
    }
    if (failed.length > 0) {
      const why = failed.map(({ r, o }) => `${o.variant.sku}: ${r.error!.code} ${r.error!.message}`).join('; ');
      throw ApplicationFailure.nonRetryable(`variations of ${snapshot.sku} were refused by the shop: ${why}`, 'VariationRejected');
    }
  };

  for (const part of chunk(ops, 100)) await run(part);
  const adopt = ops.filter((o) => o.op === 'create' && held.has(o.variant.id));
  for (const part of chunk(adopt.map((o) => asUpdate(o.variant, held.get(o.variant.id)!)), 100)) await run(part);
  if (gone.length > 0) {
    if (opts.create === false) {
      throw ApplicationFailure.nonRetryable(
        `variations ${gone.map((o) => o.variant.sku).join(', ')} of ${snapshot.sku} are gone from the shop`, VARIATIONS_TO_CREATE,
      );
    }
    for (const part of chunk(gone.map((o) => asCreate(o.variant)), 100)) await run(part);
  }
  return links;
}
