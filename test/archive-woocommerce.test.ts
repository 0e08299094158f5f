import assert from 'node:assert/strict';
import { planProductPush } from '../activities/pos/push-activities';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import { useShop, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** The POS archive as WooCommerce sees it: like an inactive product (taken offline, not deleted), never created. */
describe('POS archive on WooCommerce', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  it('an archived product linked to the shop goes to draft like an inactive one, and stays in the shop', async () => {
    const sku = uniqueSku('AW');
    const saved = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(saved.status, 201);
    await waitFor(`${sku} published in the shop`, () => shop.sandbox.state.findBySku(sku)?.status === 'publish');
    const res = await shop.api.post(`/api/products/${saved.data.id}/archive`, {});
    assert.equal(res.status, 200);
    await waitFor(`${sku} taken offline`, () => shop.sandbox.state.findBySku(sku)?.status === 'draft');
    assert.ok(shop.sandbox.state.findBySku(sku), 'not deleted');
  });

  it('an archived product the shop does not have is planned for no connection, even if it is marked online', async () => {
    const sku = uniqueSku('AN');
    const saved = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store'] }));
    assert.equal(saved.status, 201);
    assert.equal((await shop.api.post(`/api/products/${saved.data.id}/archive`, {})).status, 200);
    // Online but archived (as if its channels had said online when it was archived): no shop target.
    await stack.db('products').where({ id: saved.data.id }).update({ channels: ['in_store', 'online'] });
    assert.deepEqual((await planProductPush(stack.db, saved.data.id)).targets, []);
    await stack.db('products').where({ id: saved.data.id }).update({ archived: false });
    assert.deepEqual((await planProductPush(stack.db, saved.data.id)).targets.map((t) => t.connectionId), [shop.connectionId], 'the same product unarchived would be created');
    await stack.db('products').where({ id: saved.data.id }).update({ archived: true });
  });
});
