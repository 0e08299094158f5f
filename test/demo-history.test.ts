// Issue 8 point 13: the demo's order history fits its stock: importing it leaves no stock below 0.
import assert from 'node:assert/strict';
import { uniqueSku, waitFor } from './helpers/shop';
import { posStockBySku, setStartDate } from './helpers/orders';
import { seedDemoHistory } from '../stack/demo-history';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import { orderImportWorkflowId } from '../workflows/contracts/order-import';
import type { catalogSync } from '../workflows/catalog-sync';
import type { orderImport } from '../workflows/order-import';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from './helpers/suite-setup';

describe('the demo order history fits the demo stock (issue 8 point 13)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  it('the units the history sold are received first, so its import leaves every stock as seeded, none below 0, in the POS and the shop', async () => {
    // Like the demo: a few units of each, far fewer than a year of orders sells.
    const skus: string[] = [];
    for (let i = 0; i < 6; i++) {
      const sku = uniqueSku('DEMOH');
      assert.equal((await shop.api.post('/api/products', { sku, type: 'simple', name: `Demo ${sku}`, retail_price: 5 + i, channels: ['in_store', 'online'] })).status, 201);
      skus.push(sku);
    }
    const vsku = uniqueSku('DEMOHV');
    assert.equal((await shop.api.post('/api/products', {
      sku: vsku, type: 'variable', name: `Demo shirt ${vsku}`, channels: ['in_store', 'online'], attributes: [{ name: 'Size', options: ['S', 'M'] }],
      variants: ['S', 'M'].map((s) => ({ sku: `${vsku}-${s}`, retail_price: 20, attributes: [{ name: 'Size', option: s }] })),
    })).status, 201);
    skus.push(`${vsku}-S`, `${vsku}-M`);
    const counted = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: skus.map((sku, i) => ({ sku, counted: 5 + i })) });
    assert.equal(counted.status, 201, JSON.stringify(counted.data));
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-demo`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    await setStartDate(stack, shop.connectionId, new Date());
    const seeded = await posStockBySku(stack, shop.outletId);

    const history = await seedDemoHistory({ db: stack.db, sandbox: shop.sandbox, afterCommit: () => stack.dispatcher.kick() }, shop.connectionId, { count: 400 });
    assert.equal(history.orders, 400);
    assert.ok(history.unitsReceived > 5 * skus.reduce((n, _s, i) => n + 5 + i, 0), `the history (${history.unitsReceived} units) sells far more than the seeded stock`);
    const received = await posStockBySku(stack, shop.outletId);
    assert.ok(skus.every((sku) => received.get(sku)! > seeded.get(sku)!));

    const result = await stack.client.workflow.execute<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(shop.connectionId)}/demo`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    assert.equal(result.failed, 0);
    const after = await posStockBySku(stack, shop.outletId);
    for (const sku of skus) {
      assert.ok(after.get(sku)! >= 0, `${sku} at ${after.get(sku)}`);
      assert.equal(after.get(sku), seeded.get(sku), `${sku} is back at its seeded level`);
    }
    await waitFor('the shop shows the same stock', () => skus.every((sku) => shop.sandbox.state.findBySku(sku)?.stock_quantity === after.get(sku)));
  });
});
