import type { Stack } from '../stack/start';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import type { drift } from '../workflows/drift';
import { benchShop, report, seedCatalog } from './harness';

/**
 * Issue 11: the drift report of a 10,000-product sandbox store with 1% of its products changed
 * behind our back (stock, price, name, deleted): every one found, no false positives, and the
 * requests beside the minimum (one page of 100 per 100 shop products).
 */
export async function driftBench(stack: Stack, s: { products: number; changedShare: number }): Promise<void> {
  const shop = await benchShop(stack, 'drift', { latency: { perRequestMs: 0, perObjectMs: 0 } });
  try {
    await seedCatalog(stack.db, { prefix: 'DRIFT', simple: s.products, variable: 0, variations: 0, outletId: shop.outletId });
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: catalogSyncWorkflowId(shop.connectionId), taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId, concurrency: 4 }],
    });
    const linked: { sku: string; remote_id: string }[] = await stack.db('product_links as l').join('products as p', 'p.id', 'l.product_id')
      .where('l.connection_id', shop.connectionId).whereNull('l.variant_id').orderBy('p.id').select('p.sku', 'l.remote_id');
    const every = Math.round(1 / s.changedShare);
    const changed = new Map<string, string>();
    linked.forEach((l, i) => {
      if (i % every !== 0) return;
      const id = Number(l.remote_id);
      const what = (['stock', 'price', 'name', 'deleted'] as const)[(i / every) % 4]!;
      if (what === 'stock') shop.sandbox.state.editProduct(id, { stock_quantity: 1234 });
      else if (what === 'price') shop.sandbox.state.editProduct(id, { regular_price: '0.50' });
      else if (what === 'name') shop.sandbox.state.editProduct(id, { name: `Renamed ${l.sku}` });
      else shop.sandbox.state.deleteProduct(id);
      changed.set(l.sku, what);
    });
    shop.sandbox.resetStats();
    const started = Date.now();
    const result = await stack.client.workflow.execute<typeof drift>('drift', {
      workflowId: `drift/${shop.connectionId}/bench`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    const wallMs = Date.now() - started;
    const found: { sku: string }[] = await stack.db('drift_items').where({ report_id: result.reportId }).select('sku');
    const foundSkus = new Set(found.map((f) => f.sku));
    const minPages = Math.max(1, Math.ceil(result.shopProducts / 100));
    const requests = shop.sandbox.stats().requests;
    report('drift report', {
      products: linked.length, changed: changed.size, shop_products: result.shopProducts, counts: result.counts,
      found_of_changed: [...changed.keys()].filter((sku) => foundSkus.has(sku)).length,
      false_positives: [...foundSkus].filter((sku) => !changed.has(sku)).length,
      requests, minimum_pages: minPages, request_ratio: +(requests / minPages).toFixed(3), wall_ms: wallMs,
      targets: { found_of_changed: changed.size, false_positives: 0, request_ratio: 1.05 },
    });
  } finally {
    await shop.sandbox.close();
  }
}
