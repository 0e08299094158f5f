// A product linked to an eCom product by another path (e.g. a catalog sync matching SKUs) that this
// writer never wrote: its remote objects are taken from the links, their payloads unknown, so the
// next push writes every POS-owned field once.
import { type ProductSync, reloadObjects } from './product-sync';
import { PRODUCT_REF, variantRef } from './written-state';

export async function adoptLinkedObjects(sync: ProductSync, remoteProductId: number): Promise<void> {
  await sync.state.written('product', PRODUCT_REF, remoteProductId, { payload: null, runKey: null });
  if (sync.snap.type === 'variable') {
    for (const l of sync.links) {
      if (l.variantId !== null) await sync.state.written('variant', variantRef(l.variantId), l.remoteId, { payload: null, runKey: null });
    }
  } else {
    const remote = await sync.client.variants.list({ product: remoteProductId });
    const v = remote.find((x) => x.sku === sync.snap.sku) ?? (remote.length === 1 ? remote[0] : undefined);
    if (v) await sync.state.written('variant', variantRef(null), v.id, { payload: null, runKey: null });
  }
  await reloadObjects(sync);
}
