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
  /** One image per product (issue 6 point 1), each download charged `perImageMs` by the sandbox. */
  images?: boolean;
  perImageMs?: number;
  /** Then push the unchanged catalog once more: it must download no image and create nothing. */
  again?: boolean;
}

/**
 * The whole catalog into an empty shop. Lower bound of requests: one product batch per 100
 * products and one variation batch per variable product. Lower bound of time: those
 * requests' service times spread perfectly over the sandbox's concurrent slots.
 */
export async function catalogPush(stack: Stack, s: CatalogPushSetting): Promise<void> {
  const shop = await benchShop(stack, s.name, {
    latency: { perRequestMs: s.perRequestMs, perObjectMs: s.perObjectMs, perImageMs: s.perImageMs ?? 0 }, concurrency: s.concurrency,
  });
  try {
    const prefix = s.name.toUpperCase();
    await seedCatalog(stack.db, { prefix, simple: s.simple, variable: s.variable, variations: s.variations, outletId: shop.outletId });
    if (s.images) {
      // The sandbox cannot reach the internet: a non-loopback URL counts as downloaded, and is charged perImageMs.
      await stack.db.raw(
        `UPDATE products SET images = jsonb_build_array(jsonb_build_object('src', 'https://images.example.com/' || lower(sku) || '.jpg')) WHERE sku LIKE ?`,
        [`${prefix}-%`],
      );
    }
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
      s.variable * (s.perRequestMs + s.variations * s.perObjectMs) +
      (s.images ? products * (s.perImageMs ?? 0) : 0);
    const timeLowerBoundMs = Math.ceil(serviceMs / s.concurrency);
    const remote = shop.sandbox.state.products().length;
    report(`catalog push (${s.name})`, {
      products, variable: s.variable, variations: s.variable * s.variations,
      latency: { perRequestMs: s.perRequestMs, perObjectMs: s.perObjectMs, concurrency: s.concurrency },
      wall_ms: wallMs, requests: stats.requests, request_lower_bound: requestLowerBound,
      request_ratio: +(stats.requests / requestLowerBound).toFixed(2),
      time_lower_bound_ms: timeLowerBoundMs, time_ratio: +(wallMs / timeLowerBoundMs).toFixed(2),
      created: result.created, failed: result.failed, shop_products: remote,
      ...(s.images ? { images_downloaded: stats.imageDownloads, per_image_ms: s.perImageMs ?? 0 } : {}),
      targets: { request_ratio: 1.5, time_ratio: 3 },
    });
    if (s.again) {
      shop.sandbox.resetStats();
      const againStarted = Date.now();
      const again = await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
        workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-again`, taskQueue: stack.config.temporal.taskQueue,
        args: [{ connectionId: shop.connectionId, concurrency: 4 }],
      });
      const againStats = shop.sandbox.stats();
      report(`catalog push again, unchanged (${s.name})`, {
        products, wall_ms: Date.now() - againStarted, requests: againStats.requests,
        images_downloaded: againStats.imageDownloads, created: again.created, updated: again.updated, failed: again.failed,
        shop_products: shop.sandbox.state.products().length, shop_attachments: shop.sandbox.state.attachments().length,
        targets: { images_downloaded: 0, created: 0 },
      });
    }
  } finally {
    await shop.sandbox.close();
  }
}
