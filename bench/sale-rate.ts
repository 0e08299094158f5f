import type { Stack } from '../stack/start';
import { benchShop, report, seedCatalog } from './harness';
import { runTills } from './tills';
import { readLocalAdminToken } from '../server/auth/local-admin-token';

/**
 * How many sales per second the POS API absorbs on this machine with nothing to push: the
 * ceiling of the event storm's sale rate, measured the same way (tills in a child process).
 */
export async function saleRate(stack: Stack, s: { sales: number; products: number }): Promise<void> {
  const shop = await benchShop(stack, 'rate', {});
  try {
    await stack.db('connections').where({ id: shop.connectionId }).update({ active: false });
    await seedCatalog(stack.db, { prefix: 'RATE', simple: s.products, variable: 0, variations: 0, outletId: shop.outletId });
    const skus = Array.from({ length: s.products }, (_, i) => `RATE-S${i}`);
    const { failed, durationMs } = await runTills({ httpUrl: stack.httpUrl, token: readLocalAdminToken(stack.config.dataDir)!, registerId: shop.registerId, skus, sales: s.sales, seconds: 0.001 }, () => undefined);
    report('sale rate', { sales: s.sales, failed_sales: failed, duration_ms: durationMs, sales_per_second: Math.round((s.sales / durationMs) * 1000), in_flight: 128 });
  } finally {
    await shop.sandbox.close();
  }
}
