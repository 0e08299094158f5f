import { ApplicationFailure } from '@temporalio/common';
import { toWooVariation } from '../../domain/woo-mapping';
import type { ProductSnapshot } from '../../domain/product';
import type { WooClient } from './client';
import { chunk } from './batch';
import type { ProductLink } from '../pos/links';

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

/** Creates the variations the shop lacks and updates the others, matched by SKU; fails for good on any item error. */
export async function upsertVariations(
  client: WooClient,
  snapshot: ProductSnapshot,
  remoteParentId: number,
  remote: { id: number; sku: string }[],
): Promise<VariationLink[]> {
  const bySku = new Map(remote.map((r) => [r.sku, r.id]));
  const ops = snapshot.variants.map((v) => {
    const body = toWooVariation(snapshot.id, v);
    const id = bySku.get(v.sku);
    return { variantId: v.id, sku: v.sku, op: id === undefined ? ('create' as const) : ('update' as const), body: id === undefined ? body : { id, ...body } };
  });
  const links: VariationLink[] = [];
  for (const part of chunk(ops, 100)) {
    const creates = part.filter((o) => o.op === 'create');
    const updates = part.filter((o) => o.op === 'update');
    const res = await client.batchVariations(remoteParentId, {
      create: creates.map((o) => o.body),
      update: updates.map((o) => o.body as { id: number }),
    });
    const results = [...(res.create ?? []).map((r, i) => ({ r, o: creates[i]! })), ...(res.update ?? []).map((r, i) => ({ r, o: updates[i]! }))];
    const failed = results.filter(({ r }) => 'error' in r && r.error);
    if (failed.length > 0) {
      const why = failed.map(({ r, o }) => `${o.sku}: ${(r as any).error.code} ${(r as any).error.message}`).join('; ');
      throw ApplicationFailure.nonRetryable(`variations of ${snapshot.sku} were refused by the shop: ${why}`, 'VariationRejected');
    }
    for (const { r, o } of results) links.push({ variantId: o.variantId, remoteId: (r as { id: number }).id });
  }
  return links;
}

