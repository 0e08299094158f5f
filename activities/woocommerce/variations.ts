import { ApplicationFailure } from '@temporalio/common';
import { toWooVariation, type WooVariationPayload } from '../../domain/woo-mapping';
import type { ProductSnapshot, VariantSnapshot } from '../../domain/product';
import type { WooImageRef } from '../../domain/woo-images';
import type { WooClient } from './client';
import { chunk } from './batch';
import type { ProductLink } from '../pos/links';

export interface VariationLink {
  variantId: number;
  remoteId: number;
  /** The image sent (absent: left alone) and the media id the shop answered, for activities/woocommerce/media.ts. */
  sentImage?: WooImageRef;
  imageId?: number;
}

export interface UpsertVariationOptions {
  /** The body of one variation (default toWooVariation, no media ids). */
  body?: (v: VariantSnapshot, op: 'create' | 'update') => WooVariationPayload;
  /** A refused item: the body to send once more (e.g. without its image), or undefined to fail. */
  retryItem?: (variantId: number, body: WooVariationPayload, error: { code: string; message: string }) => Promise<WooVariationPayload | undefined>;
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

/** Creates the variations the shop lacks and updates the others, matched by SKU; fails for good on any item error. */
export async function upsertVariations(
  client: WooClient,
  snapshot: ProductSnapshot,
  remoteParentId: number,
  remote: { id: number; sku: string }[],
  opts: UpsertVariationOptions = {},
): Promise<VariationLink[]> {
  const bySku = new Map(remote.map((r) => [r.sku, r.id]));
  const ops = snapshot.variants.map((v) => {
    const id = bySku.get(v.sku);
    const op = id === undefined ? ('create' as const) : ('update' as const);
    const body = opts.body ? opts.body(v, op) : toWooVariation(snapshot.id, v);
    return { variantId: v.id, sku: v.sku, op, body: id === undefined ? body : { id, ...body } };
  });
  type Op = (typeof ops)[number];
  const links: VariationLink[] = [];
  const send = async (creates: Op[], updates: Op[]) => {
    const res = await client.batchVariations(remoteParentId, {
      create: creates.map((o) => o.body),
      update: updates.map((o) => o.body as { id: number }),
    });
    return [...(res.create ?? []).map((r, i) => ({ r, o: creates[i]! })), ...(res.update ?? []).map((r, i) => ({ r, o: updates[i]! }))];
  };
  for (const part of chunk(ops, 100)) {
    let results = await send(part.filter((o) => o.op === 'create'), part.filter((o) => o.op === 'update'));
    // Items refused for a reason the caller can correct (an image) go once more, alone.
    const again: Op[] = [];
    if (opts.retryItem) {
      for (const { r, o } of results) {
        if (!('error' in r && r.error)) continue;
        const body = await opts.retryItem(o.variantId, o.body, (r as any).error);
        if (body) again.push({ ...o, body });
      }
    }
    if (again.length > 0) {
      const retried = new Set(again.map((o) => o.variantId));
      results = [...results.filter(({ o }) => !retried.has(o.variantId)), ...(await send(again.filter((o) => o.op === 'create'), again.filter((o) => o.op === 'update')))];
    }
    const failed = results.filter(({ r }) => 'error' in r && r.error);
    if (failed.length > 0) {
      const why = failed.map(({ r, o }) => `${o.sku}: ${(r as any).error.code} ${(r as any).error.message}`).join('; ');
      throw ApplicationFailure.nonRetryable(`variations of ${snapshot.sku} were refused by the shop: ${why}`, 'VariationRejected');
    }
    for (const { r, o } of results) {
      const answered = r as { id: number; image?: { id?: number } | null };
      links.push({
        variantId: o.variantId, remoteId: answered.id,
        ...(o.body.image !== undefined ? { sentImage: o.body.image } : {}),
        ...(answered.image?.id ? { imageId: Number(answered.image.id) } : {}),
      });
    }
  }
  return links;
}

