import assert from 'node:assert/strict';
import { seedCatalog } from '../db/seed-generated';
import { batchPushStatusQuery, batchPushWorkflowId } from '../workflows/contracts/batch-push';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { waitFor, type TestShop } from './helpers/shop';
import { createLogger } from '../stack/logger';
import { PushDispatcher } from '../server/push-dispatcher';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** Stock movements of linked products go to batch-push/<connectionId> (M-A2), many products per request. */
describe('batched push of stock movements', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: TestShop | undefined;

  /** A linked catalog of `simple` + `variable` products with stock 50 each, synced to a fresh shop. */
  async function linkedCatalog(prefix: string, simple: number, variable: number) {
    shop = await shops.fresh();
    await stack.db('products').update({ channels: ['in_store'] });
    const { productIds } = await seedCatalog(stack.db, { prefix, simple, variable, variations: 3, outletId: shop.outletId });
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-${prefix}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId }],
    });
    const items: { sku: string; remoteId: number }[] = await stack.db('product_links as l')
      .leftJoin('variants as v', 'v.id', 'l.variant_id')
      .join('products as p', 'p.id', 'l.product_id')
      .where('l.connection_id', shop.connectionId)
      .whereIn('l.product_id', productIds)
      .andWhere((q) => q.whereNotNull('l.variant_id').orWhere('p.type', 'simple'))
      .select(stack.db.raw('coalesce(v.sku, p.sku) AS sku'), 'l.remote_id AS remoteId');
    const count = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: items.map((i) => ({ sku: i.sku, counted: 50 })) });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    await waitFor('the adjusted stock in the shop', () => items.every((i) => shop!.sandbox.state.stockOf(Number(i.remoteId)) === 50));
    return items.map((i) => ({ sku: i.sku, remoteId: Number(i.remoteId) }));
  }

  it('pushes sales of 150 linked products (some variations) in batches of at most 100, exactly', async () => {
    const items = await linkedCatalog(`BP${Date.now() % 100000}`, 140, 10);
    assert.equal(items.length, 170);
    shop!.sandbox.resetStats();
    const sold = new Map<string, number>();
    await Promise.all(items.map(async (item, i) => {
      const quantity = 1 + (i % 3);
      const res = await shop!.api.post('/api/sales', { register_id: shop!.registerId, lines: [{ sku: item.sku, quantity }] });
      assert.equal(res.status, 201, JSON.stringify(res.data));
      sold.set(item.sku, quantity);
    }));
    await waitFor('every shop stock equal to the POS stock', () =>
      items.every((item) => shop!.sandbox.state.stockOf(item.remoteId) === 50 - sold.get(item.sku)!));

    const stats = shop!.sandbox.stats();
    const single = (stats.byRoute['PUT /products/{id}'] ?? 0) + (stats.byRoute['PUT /products/{product_id}/variations/{id}'] ?? 0);
    assert.equal(single, 0, 'no product was pushed on its own');
    assert.ok(stats.batchItems >= 170, 'every product and variation went through a batch');
    // 140 simple + 10 parents need two product batches per round; each variable parent one variation batch.
    assert.ok(stats.requests <= 3 * (2 + 10), `${stats.requests} requests for 170 items`);

    const handle = stack.client.workflow.getHandle(batchPushWorkflowId(shop!.connectionId));
    const status = await handle.query(batchPushStatusQuery);
    assert.ok(status.pushed >= 150, `${status.pushed} product pushes recorded`);
    assert.equal(status.failed, 0);
    const described = await handle.describe();
    assert.deepEqual(described.searchAttributes.PossyncConnection, [shop!.connectionId]);
    // The shop is written before the round's last transaction (log, dequeue) commits.
    await waitFor('each pushed product in the sync log with its reason', async () =>
      (await stack.db('sync_log').where({ connection_id: shop!.connectionId, action: 'update', status: 'ok' }).andWhere('message', 'like', '%(sale, batched)%')).length >= 150);
    assert.equal(Number((await stack.db('batch_push_queue').where({ connection_id: shop!.connectionId }).count({ n: '*' }))[0]!.n), 0, 'the queue is empty');
  });

  it('hands a product deleted in the shop to its push saga, which creates it again with the POS stock', async () => {
    const items = await linkedCatalog(`BG${Date.now() % 100000}`, 3, 0);
    const [gone, kept] = [items[0]!, items[1]!];
    await shop!.sandbox.state.deleteProduct(gone.remoteId);
    for (const item of [gone, kept]) {
      const res = await shop!.api.post('/api/sales', { register_id: shop!.registerId, lines: [{ sku: item.sku, quantity: 2 }] });
      assert.equal(res.status, 201);
    }
    const recreated = await waitFor('the product again in the shop', () => shop!.sandbox.state.findBySku(gone.sku));
    assert.notEqual(recreated.id, gone.remoteId);
    await waitFor('its stock', () => shop!.sandbox.state.findBySku(gone.sku)?.stock_quantity === 48);
    assert.equal(shop!.sandbox.state.stockOf(kept.remoteId), 48);
    // The saga links the product after creating it.
    await waitFor('the link to the new product', async () => {
      const link = await stack.db('product_links').join('products', 'products.id', 'product_links.product_id')
        .where({ 'products.sku': gone.sku, 'product_links.connection_id': shop!.connectionId }).first('remote_id');
      return link && Number(link.remote_id) === recreated.id;
    });
  });

  it('signals rows left queued by an earlier process when the dispatcher starts', async () => {
    const items = await linkedCatalog(`BR${Date.now() % 100000}`, 2, 0);
    const item = items[0]!;
    const product = await stack.db('products').where({ sku: item.sku }).first('id');
    // The stock count's own push is done (its row leaves the queue after the shop shows the stock).
    await waitFor('the queue empty', async () => !(await stack.db('batch_push_queue').where({ connection_id: shop!.connectionId }).first()));
    // As if a process had committed a sale and died before signalling: stock moved, row queued.
    await stack.db('inventory').where({ outlet_id: shop!.outletId, product_id: product.id }).update({ quantity: 7 });
    await stack.db('batch_push_queue').insert({ connection_id: shop!.connectionId, product_id: product.id, seq: stack.db.raw("nextval('batch_push_seq')"), reason: 'sale' });
    const restarted = new PushDispatcher(stack.db, stack.client, {
      taskQueue: stack.config.temporal.taskQueue, log: createLogger('error'),
      timing: { settleMs: 100, quietWindowMs: stack.config.pushQuietWindowMs, idleTimeoutMs: stack.config.pushIdleTimeoutMs },
    });
    restarted.start();
    try {
      await waitFor('the queued stock in the shop', () => shop!.sandbox.state.stockOf(item.remoteId) === 7);
    } finally {
      await restarted.stop();
    }
  });
});
