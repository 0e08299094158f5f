import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import type { Stack } from '../stack/start';
import { benchShop, report, seedCatalog } from './harness';

export interface CatalogPushSetting {
  name: string;
  simple: number;
  variable: number;
  variations: number;
  perRequestMs: number;
  perObjectMs: number;
  concurrency: number;
}

/**
 * The whole catalog into an empty shop. Lower bound of requests: one product batch per 100
 * products and one variation batch per variable product. Lower bound of time: those
 * requests' service times spread perfectly over the sandbox's concurrent slots.
 */
export async function catalogPush(stack: Stack, s: CatalogPushSetting): Promise<void> {
  const shop = await benchShop(stack, s.name, { latency: { perRequestMs: s.perRequestMs, perObjectMs: s.perObjectMs }, concurrency: s.concurrency });
  try {
    await seedCatalog(stack.db, { prefix: s.name.toUpperCase(), simple: s.simple, variable: s.variable, variations: s.variations, outletId: shop.outletId });
    const products = s.simple + s.variable;
    shop.sandbox.resetStats();
    const started = Date.now();
    const result = await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: catalogSyncWorkflowId(shop.connectionId), taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, concurrency: 4 }],
    });
    const wallMs = Date.now() - started;
    const stats = shop.sandbox.stats();
    const productBatches = Math.ceil(products / 100);
    const requestLowerBound = productBatches + s.variable * Math.ceil(s.variations / 100);
    const serviceMs =
      productBatches * s.perRequestMs + products * s.perObjectMs +
      s.variable * (s.perRequestMs + s.variations * s.perObjectMs);
    const timeLowerBoundMs = Math.ceil(serviceMs / s.concurrency);
    const remote = shop.sandbox.state.products().length;
    report(`catalog push (${s.name})`, {
      products, variable: s.variable, variations: s.variable * s.variations,
      latency: { perRequestMs: s.perRequestMs, perObjectMs: s.perObjectMs, concurrency: s.concurrency },
      wall_ms: wallMs, requests: stats.requests, request_lower_bound: requestLowerBound,
      request_ratio: +(stats.requests / requestLowerBound).toFixed(2),
      time_lower_bound_ms: timeLowerBoundMs, time_ratio: +(wallMs / timeLowerBoundMs).toFixed(2),
      created: result.created, failed: result.failed, shop_products: remote,
      targets: { request_ratio: 1.5, time_ratio: 3 },
    });
  } finally {
    await shop.sandbox.close();
  }
}
