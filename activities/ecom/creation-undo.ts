// Compensation of a creation run refused for good: deletes what THIS run created (the product, which
// takes its variants and images with it, or else its own variants and images), newest first.
import { settleCreation } from './creation-runs';
import { findCreatedProduct } from './product-step';
import { type ProductSync, deleteIfThere, reloadObjects } from './product-sync';

/** Undoes the run; returns why the undo failed, if it did (what was not deleted stays recorded). */
export async function undoCreation(sync: ProductSync, runKey: string): Promise<string | undefined> {
  await reloadObjects(sync);
  const ours = sync.objects.filter((o) => o.runKey === runKey);
  try {
    const product = ours.find((o) => o.kind === 'product');
    let productId = product?.remoteId ?? null;
    if (product && productId === null) productId = (await findCreatedProduct(sync.client, runKey, product.requestedAt))?.id ?? null;
    if (product) {
      if (productId !== null) await deleteIfThere(() => sync.client.products.delete(productId!, 'catalog'));
      await sync.state.forgetAll();
    } else {
      const parent = sync.objects.find((o) => o.kind === 'product')?.remoteId;
      for (const o of [...ours].reverse()) {
        if (o.remoteId !== null && o.kind === 'variant') await deleteIfThere(() => sync.client.variants.delete(o.remoteId!, 'catalog'));
        if (o.remoteId !== null && o.kind === 'image' && parent) await deleteIfThere(() => sync.client.images.delete(parent, o.remoteId!, 'catalog'));
        await sync.state.forget(o.kind, o.posRef);
      }
    }
    await settleCreation(sync.db, sync.connectionId, sync.snap.id, runKey, 'undone');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
