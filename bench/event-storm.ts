import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import type { Stack } from '../stack/start';
import { benchShop, percentile, report, seedCatalog } from './harness';
import { runTills } from './tills';
import { readLocalAdminToken } from '../server/auth/local-admin-token';

/**
 * Sales spread over many products for ~20 s through the POS API. Measures how many shop
 * writes each product gets per quiet window, the delay from a sale's commit until the shop
 * shows a stock at or below that sale's result, and whether every shop stock ends equal to the POS.
 */
export async function eventStorm(stack: Stack, s: { sales: number; products: number; seconds: number; perRequestMs: number }): Promise<void> {
  const shop = await benchShop(stack, 'storm', { latency: { perRequestMs: s.perRequestMs }, concurrency: 8 });
  try {
    await seedCatalog(stack.db, { prefix: 'STORM', simple: s.products, variable: 0, variations: 0, outletId: shop.outletId });
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: catalogSyncWorkflowId(shop.connectionId), taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    const products: { id: number; sku: string }[] = await stack.db('products').where('sku', 'like', 'STORM-%').select('id', 'sku');
    const remoteOf = new Map<string, number>(shop.sandbox.state.products().map((p: { sku: string; id: number }) => [p.sku, p.id]));
    shop.sandbox.resetStats();

    const pending = new Map<string, { at: number; level: number }[]>();
    const delays: number[] = [];
    let polling = true;
    let stormEnd = Infinity;
    const poller = (async () => {
      while (polling || [...pending.values()].some((l) => l.length > 0)) {
        const now = Date.now();
        for (const [sku, list] of pending) {
          if (list.length === 0) continue;
          const stock = shop.sandbox.state.stockOf(remoteOf.get(sku)!);
          if (typeof stock !== 'number') continue;
          const keep = list.filter((e) => {
            if (stock <= e.level) {
              delays.push(now - e.at);
              return false;
            }
            return true;
          });
          pending.set(sku, keep);
        }
        if (!polling && Date.now() - stormEnd > 60_000) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();

    const { failed, durationMs } = await runTills(
      { httpUrl: stack.httpUrl, token: readLocalAdminToken(stack.config.dataDir)!, registerId: shop.registerId, skus: products.map((p) => p.sku), sales: s.sales, seconds: s.seconds },
      (c) => {
        const list = pending.get(c.sku) ?? [];
        list.push({ at: c.at, level: c.level });
        pending.set(c.sku, list);
      },
    );
    stormEnd = Date.now();
    polling = false;
    await poller;

    const pos = new Map<number, number>(
      (await stack.db('inventory').where({ outlet_id: shop.outletId }).whereIn('product_id', products.map((p) => p.id)).select('product_id', 'quantity'))
        .map((r) => [r.product_id, Number(r.quantity)]),
    );
    const exact = products.every((p) => shop.sandbox.state.product(remoteOf.get(p.sku)!)?.stock_quantity === pos.get(p.id));
    const stats = shop.sandbox.stats();
    const writes = products.map((p) => stats.writesByProductId[remoteOf.get(p.sku)!] ?? 0);
    const quietWindowMs = stack.config.pushQuietWindowMs;
    const windows = durationMs / quietWindowMs;
    const maxWrites = Math.max(...writes);
    report('event storm', {
      sales: s.sales, failed_sales: failed, products: s.products, duration_ms: durationMs, target_duration_ms: s.seconds * 1000, sandbox_latency_ms: s.perRequestMs,
      quiet_window_ms: quietWindowMs, shop_writes: stats.requests,
      writes_per_product: { mean: +(writes.reduce((a, b) => a + b, 0) / writes.length).toFixed(1), max: maxWrites },
      writes_per_product_per_window: { mean: +((writes.reduce((a, b) => a + b, 0) / writes.length) / windows).toFixed(2), max: +(maxWrites / windows).toFixed(2) },
      delay_ms: { p50: percentile(delays, 50), p95: percentile(delays, 95), max: Math.max(...delays), measured: delays.length, unseen: s.sales - failed - delays.length },
      final_stock_exact: exact, signals: stack.dispatcher.signalsSent,
      targets: { final_stock_exact: true, p95_ms: 2000, writes_per_product_per_window: 2 },
    });
  } finally {
    await shop.sandbox.close();
  }
}
