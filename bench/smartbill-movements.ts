import { WooClient } from '../activities/woocommerce/client';
import { startSmartBillSandbox } from '../sandbox/smartbill';
import type { Stack } from '../stack/start';
import { benchShop, percentile, report } from './harness';

/**
 * SmartBill's generator calls the receiver with `movements` stock changes over `products` products while the
 * WooCommerce store answers in `perRequestMs` (issue 12): the receiver's answer time, the shop writes against
 * their lower bound, and whether every shop stock ends at the last level SmartBill sent.
 */
export async function smartbillMovements(stack: Stack, s: { movements: number; products: number; perRequestMs: number }): Promise<void> {
  const shop = await benchShop(stack, 'smartbill', { latency: { perRequestMs: s.perRequestMs }, concurrency: 8 });
  const sb = await startSmartBillSandbox();
  try {
    const woo = new WooClient({ baseUrl: shop.sandbox.url, consumerKey: shop.sandbox.consumerKey, consumerSecret: shop.sandbox.consumerSecret });
    const codes = Array.from({ length: s.products }, (_, i) => `SB-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < codes.length; i += 100) {
      await woo.batchProducts({ create: codes.slice(i, i + 100).map((sku) => ({ name: `Produs ${sku}`, sku, type: 'simple', status: 'publish', manage_stock: true, stock_quantity: 0 } as any)) });
    }
    const connectionId = 'bench-smartbill-sb';
    stack.smartbill.set({
      id: connectionId, token: sb.token, username: sb.email, companyVat: sb.cif, apiUrl: sb.apiUrl, warehouse: 'Depozit',
      shopConnectionId: shop.connectionId, stockOwner: 'pos', enabled: true,
    });
    shop.sandbox.resetStats();
    const started = Date.now();
    const run = await sb.runMovements({ url: `${stack.httpUrl}/smartbill/${connectionId}/stocks`, token: sb.token }, {
      warehouse: 'Depozit', products: codes.map((c) => ({ productCode: c, productName: `Produs ${c}` })), count: s.movements, itemsPerCall: 5, concurrency: 8, seed: 12,
    });
    const sentAt = Date.now();
    for (;;) {
      const pending = await stack.db('smartbill_movements').where({ connection_id: connectionId }).whereNull('outcome').first('id');
      if (!pending) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const settledAt = Date.now();
    const newest: { product_code: string; quantity: number }[] = await stack.db('smartbill_movements').where({ connection_id: connectionId })
      .distinctOn('product_key').orderBy([{ column: 'product_key' }, { column: 'id', order: 'desc' }]).select('product_code', 'quantity');
    const remote = new Map<string, number>(shop.sandbox.state.products().map((p: { sku: string; id: number }) => [p.sku, p.id]));
    const wrong = newest.filter((m) => shop.sandbox.state.stockOf(remote.get(m.product_code)!) !== m.quantity).length;
    const stats = shop.sandbox.stats();
    const outcomes: { outcome: string; n: string }[] = await stack.db('smartbill_movements').where({ connection_id: connectionId }).groupBy('outcome').select('outcome').count('* as n');
    const writeRequests = stats.byRoute['POST /products/batch'] ?? 0;
    const itemWrites = stats.batchItems;
    report('smartbill', {
      movements: run.items, calls: run.calls, products: s.products, distinctMoved: newest.length, shopLatencyMs: s.perRequestMs,
      receiverP50Ms: Math.round(percentile(run.latenciesMs, 50)), receiverP95Ms: Math.round(percentile(run.latenciesMs, 95)),
      receiverMaxMs: Math.round(Math.max(...run.latenciesMs)),
      sendSeconds: (sentAt - started) / 1000, settledSecondsAfterLastCall: (settledAt - sentAt) / 1000,
      outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])),
      itemWrites, writeRequests, writeRequestsLowerBound: Math.ceil(itemWrites / 100),
      writeRequestRatio: +(writeRequests / Math.max(1, Math.ceil(itemWrites / 100))).toFixed(3),
      indexReads: stats.requests - writeRequests, shopStockWrong: wrong,
    });
  } finally {
    stack.smartbill.delete('bench-smartbill-sb');
    await Promise.all([sb.close(), shop.sandbox.close()]);
  }
}
