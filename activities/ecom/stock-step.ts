// A stock-only push: the stock level of each variant whose level differs from the one last written
// (product_links.pushed_stock), with the budget's 'stock' priority; nothing else.
import { savePushedStock } from './links-step';
import { type ProductSync, isNotFound, objectOf } from './product-sync';
import { ownsStock, pushedStockOf, variantPlans } from './variant-step';
import { variantRef } from './written-state';

export async function writeStockOnly(sync: ProductSync): Promise<void> {
  for (const plan of variantPlans(sync)) {
    const ref = variantRef(plan.posVariantId);
    const remoteId = objectOf(sync, 'variant', ref)?.remoteId;
    // A variant not in the shop yet waits for the next catalog push, which creates it.
    if (remoteId == null || !ownsStock(sync, plan) || pushedStockOf(sync, plan.posVariantId) === plan.payload.stockLevel) continue;
    try {
      await sync.client.variants.update(remoteId, { stockTracking: plan.payload.stockTracking, stockLevel: plan.payload.stockLevel }, 'stock');
    } catch (err) {
      if (!isNotFound(err)) throw err;
      // Deleted in the shop: forgotten here, created again by the next catalog push.
      await sync.state.forget('variant', ref);
      sync.notes.push(`variant ${remoteId} is gone from the shop; the next catalog push creates it again`);
      continue;
    }
    sync.stockWritten.set(ref, plan.payload.stockLevel);
  }
  if (sync.stockWritten.size > 0) await savePushedStock(sync.db, sync);
}
