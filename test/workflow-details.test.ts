import assert from 'node:assert/strict';
import { seedCatalog } from '../db/seed-generated';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import { currentDetails } from './helpers/workflow-details';
import { productPushWorkflowId } from '../workflows/contracts/product-push';
import { batchPushWorkflowId } from '../workflows/contracts/batch-push';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from './helpers/suite-setup';

/** Issue 8 point 7: the push workflows keep a current-details line in the Web UI that says where they are. */
describe('current details of the push workflows (issue 8 point 7)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  it('a product push says what it waits for and how its last push ended', async () => {
    const sku = uniqueSku('DET');
    const res = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(res.status, 201);
    const handle = stack.client.workflow.getHandle(productPushWorkflowId(res.data.id));
    const line = await waitFor('the push done', async () => {
      const d = await currentDetails(handle).catch(() => '');
      return d.includes('Up to date') ? d : undefined;
    });
    assert.match(line, new RegExp(`^Waiting for the next change of ${sku} \\(product ${res.data.id}\\)\\. Up to date: ${sku} "Product ${sku}" pushed `));
  });

  it('a batched push and a catalog sync say how far they got', async () => {
    await stack.db('products').update({ channels: ['in_store'] });
    const prefix = `DETB${Date.now() % 100000}`;
    await seedCatalog(stack.db, { prefix, simple: 3, variable: 0, variations: 0, outletId: shop.outletId });
    const sync = await stack.client.workflow.start<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-details`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    await sync.result();
    assert.match(await currentDetails(sync), new RegExp(`^Done: \\d+ products synced to ${shop.connectionId} \\(\\d+ created, \\d+ updated, \\d+ failed\\)$`));
    const [linked] = await stack.db('product_links as l').join('products as p', 'p.id', 'l.product_id')
      .where('l.connection_id', shop.connectionId).andWhere('p.sku', 'like', `${prefix}%`).select('p.sku');
    assert.ok(linked, 'the catalog sync linked the products');
    assert.equal((await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: linked.sku, counted: 7 }] })).status, 201);
    const batch = stack.client.workflow.getHandle(batchPushWorkflowId(shop.connectionId));
    const line = await waitFor('a batched round', async () => {
      const d = await currentDetails(batch).catch(() => '');
      return /[1-9]\d* product pushes in/.test(d) ? d : undefined;
    });
    assert.match(line, new RegExp(`^Waiting for products queued for ${shop.connectionId}\\. \\d+ product pushes in \\d+ rounds \\(\\d+ requests, \\d+ failed\\)$`));
  });
});
