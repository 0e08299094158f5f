import assert from 'node:assert/strict';
import { testStack } from './helpers/test-stack';
import { freshShop, type TestShop } from './helpers/shop';
import { seedCatalog } from '../db/seed-generated';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import type { Stack } from '../stack/start';

describe('catalog sync', function () {
  this.timeout(180_000);
  let stack: Stack;
  let shop: TestShop;

  before(async function () {
    this.timeout(180_000);
    stack = await testStack();
    shop = await freshShop(stack);
  });
  after(async () => shop?.sandbox.close());

  const run = (prefix: string) =>
    stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-${prefix}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, concurrency: 3 }],
    });

  it('links and pushes a whole catalog with the batch endpoints, and a second run creates nothing', async () => {
    // Products of other tests are only in_store from here on, so this catalog is exactly what is synced.
    await stack.db('products').update({ channels: ['in_store'] });
    await seedCatalog(stack.db, { prefix: `CAT${Date.now() % 100000}`, simple: 200, variable: 50, variations: 3, outletId: shop.outletId });
    shop.sandbox.resetStats();
    const first = await run('1');
    assert.equal(first.products, 250);
    assert.equal(first.created, 250);
    assert.equal(first.failed, 0);
    const stats = shop.sandbox.stats();
    // Lower bound: 3 product batches + 50 variation batches; plus the SKU look-ups of the unlinked.
    assert.ok(stats.requests <= 3 + 50 + 3 + 3, `${stats.requests} requests`);
    assert.equal(shop.sandbox.state.products().length, 250);
    const parent = shop.sandbox.state.products().find((p: { type: string }) => p.type === 'variable');
    assert.equal(shop.sandbox.state.variations(parent.id).length, 3);
    assert.equal(shop.sandbox.state.variations(parent.id)[0].stock_quantity, 1000);
    const links = Number((await stack.db('product_links').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n);
    assert.equal(links, 250 + 150);

    const second = await run('2');
    assert.equal(second.created, 0);
    assert.equal(second.updated, 250);
    assert.equal(shop.sandbox.state.products().length, 250, 'nothing was created twice');
  });
});
