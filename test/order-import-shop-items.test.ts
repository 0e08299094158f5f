import assert from 'node:assert/strict';
import { waitFor } from './helpers/shop';
import { posStockBySku, setStartDate } from './helpers/orders';
import { orderImportWorkflowId } from '../workflows/contracts/order-import';
import type { orderImport } from '../workflows/order-import';
import { useContractShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Issue 6.9 and 6.10 (M-B6): items the POS does not have are created as the shop has them. A simple
 * product starts at the connection's outlet with the shop's stock level (no "phantom zero stock"
 * after the push-back); a variation becomes a variant of its POS variable product, with its attributes.
 * Runs against the sandbox, or a real store with WOO_CONTRACT_URL and keys (test/contract/store.ts).
 */
describe('import: items only the shop has are created as the shop has them (M-B6, issue 6.9, 6.10)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useContractShop(stack);
  const prefix = `SHOPONLY${Date.now() % 1000000}`;
  const sku = { simple: `${prefix}-MUG`, parent: `${prefix}-TEE`, small: `${prefix}-TEE-S`, medium: `${prefix}-TEE-M` };
  let ids: { parent: number; small: number; medium: number; mug: number };

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    const client = stack.woo.get(shop.connectionId);
    const mug = await client.createProduct({ name: 'Shop mug', type: 'simple', sku: sku.simple, regular_price: '8.00', manage_stock: true, stock_quantity: 50 });
    const parent = await client.createProduct({
      name: 'Shop tee', type: 'variable', sku: sku.parent, attributes: [{ name: 'Size', options: ['S', 'M'], variation: true, visible: true }],
    });
    const small = await client.createVariation(parent.id, { sku: sku.small, regular_price: '15.00', manage_stock: true, stock_quantity: 24, attributes: [{ name: 'Size', option: 'S' }] });
    const medium = await client.createVariation(parent.id, { sku: sku.medium, regular_price: '15.00', manage_stock: true, stock_quantity: 10, attributes: [{ name: 'Size', option: 'M' }] });
    ids = { parent: parent.id, small: small.id, medium: medium.id, mug: mug.id };
    // History: sold before the connection; the shop's own stock already shows it (50-3-1, 24-2, 10-1).
    await client.createOrder({ status: 'processing', line_items: [{ product_id: mug.id, quantity: 3 }, { product_id: parent.id, variation_id: small.id, quantity: 2 }] });
    const refunded = await client.createOrder({ status: 'completed', line_items: [{ product_id: mug.id, quantity: 1 }] });
    await client.updateOrder(refunded.id, { status: 'refunded' });
    await client.createOrder({ status: 'completed', line_items: [{ product_id: parent.id, variation_id: medium.id, quantity: 1 }] });
    await new Promise((r) => setTimeout(r, 1100));
    await setStartDate(stack, shop.connectionId, new Date());
  });

  it('creates them at the shop stock levels, as a simple product and as variants of a variable product, and the push-back keeps the shop as it was', async () => {
    const result = await stack.client.workflow.execute<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(shop.connectionId)}/shop-items`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, dryRun: false }],
    });
    assert.equal(result.phase, 'done');
    assert.equal(result.failed, 0);

    // 6.9: the POS starts where the shop is, not at 0 minus the orders.
    const pos = await posStockBySku(stack, shop.outletId);
    assert.equal(pos.get(sku.simple), 46);
    assert.equal(pos.get(sku.small), 22);
    assert.equal(pos.get(sku.medium), 9);

    // 6.10: variants of one variable POS product made from the shop parent, with their attributes; no simple product for them.
    const parent = await stack.db('products').where({ sku: sku.parent }).first();
    assert.equal(parent?.type, 'variable');
    assert.equal(parent.name, 'Shop tee');
    const variants = await stack.db('variants').where({ product_id: parent.id }).orderBy('sku');
    assert.deepEqual(variants.map((v) => [v.sku, v.attributes]), [[sku.medium, [{ name: 'Size', option: 'M' }]], [sku.small, [{ name: 'Size', option: 'S' }]]]);
    assert.deepEqual(parent.attributes, [{ name: 'Size', options: ['S', 'M'] }]);
    assert.equal(await stack.db('products').whereIn('sku', [sku.small, sku.medium]).first(), undefined, 'no simple product for a variation SKU');
    const links = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: parent.id }).orderBy('remote_id');
    assert.deepEqual(links.map((l) => [Number(l.remote_id), l.variant_id !== null]).sort(), [[ids.parent, false], [ids.small, true], [ids.medium, true]].sort());

    // The push-back leaves the shop where it was: no phantom zero, the variable product still variable.
    await waitFor('the push-back of the created items', async () => {
      const rows = await stack.db('product_links').where({ connection_id: shop.connectionId }).whereNull('pushed_at').whereIn('remote_id', Object.values(ids));
      return rows.length === 0;
    });
    const client = stack.woo.get(shop.connectionId);
    assert.equal((await client.getProduct(ids.mug)).stock_quantity, 46);
    assert.equal((await client.getProduct(ids.parent)).type, 'variable');
    assert.equal((await client.getVariation(ids.parent, ids.small)).stock_quantity, 22);
    assert.equal((await client.getVariation(ids.parent, ids.medium)).stock_quantity, 9);
  });

  it('a later live order of a created item moves it from the shop level, once', async () => {
    const client = stack.woo.get(shop.connectionId);
    const o = await client.createOrder({ status: 'processing', line_items: [{ product_id: ids.mug, quantity: 2 }] });
    await stack.client.workflow.execute('orderSync', {
      workflowId: `order-sync/${shop.connectionId}/${o.id}/test`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId, orderId: o.id }],
    });
    assert.equal((await posStockBySku(stack, shop.outletId)).get(sku.simple), 44);
  });
});
