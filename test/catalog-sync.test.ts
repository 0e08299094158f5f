import assert from 'node:assert/strict';
import { uniqueSku, variableProduct, waitFor } from './helpers/shop';
import { seedCatalog } from '../db/seed-generated';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { useShop, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

describe('catalog sync', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  const run = (prefix: string) =>
    stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-${prefix}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, concurrency: 3 }],
    });

  it('links and pushes a whole catalog, creating the missing products in batches (issue 6 point 4), and a second run creates nothing', async () => {
    // Products of other tests are only in_store from here on, so this catalog is exactly what is synced.
    await stack.db('products').update({ channels: ['in_store'] });
    await seedCatalog(stack.db, { prefix: `CAT${Date.now() % 100000}`, simple: 200, variable: 50, variations: 3, outletId: shop.outletId });
    shop.sandbox.resetStats();
    const first = await run('1');
    assert.equal(first.products, 250);
    assert.equal(first.created, 250);
    assert.equal(first.failed, 0);
    assert.equal(first.pendingCreations ?? 0, 0);
    const stats = shop.sandbox.stats();
    // Issue 6 point 4 and its Benchmarks: the products the shop lacks are created in 100-object
    // batches once their creation claims are taken (one SKU lookup and one create batch per range of
    // 100), plus one variation batch per variable product; nothing is created one product at a time.
    console.log(`      first catalog sync of 250 products (50 variable): ${stats.requests} requests`, JSON.stringify(stats.byRoute));
    assert.equal(stats.byRoute['POST /products'] ?? 0, 0, 'no single create');
    assert.equal(stats.byRoute['POST /products/batch'], 3, 'one create batch per range');
    // 3 + 3 + 50; a range retried under load may repeat its SKU lookup.
    assert.ok(stats.requests <= 3 + 3 + 50 + 3, `${stats.requests} requests`);
    assert.equal(shop.sandbox.state.products().length, 250);
    const parent = shop.sandbox.state.products().find((p: { type: string }) => p.type === 'variable');
    assert.equal(shop.sandbox.state.variations(parent.id).length, 3);
    assert.equal(shop.sandbox.state.variations(parent.id)[0].stock_quantity, 1000);
    const links = Number((await stack.db('product_links').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n);
    assert.equal(links, 250 + 150);

    shop.sandbox.resetStats();
    const second = await run('2');
    assert.equal(second.created, 0);
    assert.equal(second.updated, 250);
    assert.equal(shop.sandbox.state.products().length, 250, 'nothing was created twice');
    // Per 100 products: one trash check and one batch; one variation batch per variable product.
    console.log(`      second catalog sync: ${shop.sandbox.stats().requests} requests`, JSON.stringify(shop.sandbox.stats().byRoute));
    assert.ok(shop.sandbox.stats().requests <= 3 + 3 + 50, `${shop.sandbox.stats().requests} requests`);
  });

  it('racing the product-push of a new variable product, leaves one shop product and one variation per SKU (issue 6 point 4)', async () => {
    await stack.db('products').update({ channels: ['in_store'] });
    // Slow creates: a second creator would pass WooCommerce's SKU check while the first is still inserting.
    shop.sandbox.setFaults({ slowCreateMs: 1500 });
    try {
      const sku = uniqueSku('RACE');
      const sizes = ['S', 'M', 'L', 'XL'];
      const [res, sync] = await Promise.all([
        shop.api.post('/api/products', variableProduct(sku, sizes)),
        new Promise((r) => setTimeout(r, 400)).then(() => run(`race-${sku}`)),
      ]);
      assert.equal(res.status, 201);
      assert.equal(sync.failed, 0);
      await waitFor('the product and its variations linked', async () =>
        Number((await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: res.data.id }).count({ n: '*' }))[0]!.n) === 5);
      await new Promise((r) => setTimeout(r, 2000));
      const mine = shop.sandbox.state.products().filter((p: { sku: string }) => p.sku === sku);
      assert.equal(mine.length, 1, 'one shop product');
      const variations = shop.sandbox.state.variations(mine[0].id).map((v: { sku: string }) => v.sku).sort();
      assert.deepEqual(variations, sizes.map((s) => `${sku}-${s}`).sort(), 'one variation per SKU');
    } finally {
      shop.sandbox.setFaults({ slowCreateMs: 0 });
    }
  });
});
