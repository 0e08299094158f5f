// Issue 7 point 5 (saga part): the create saga compensates only on business refusals, only what
// its own run created, and records an undo that cannot be done.
import assert from 'node:assert/strict';
import { uniqueSku, variableProduct, waitFor, type TestShop } from './helpers/shop';
import { WooClient } from '../activities/woocommerce/client';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

describe('create saga: compensation only for business refusals, only of this run (issue 7 point 5)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: TestShop | undefined;

  const client = () => new WooClient({ baseUrl: shop!.sandbox.url, consumerKey: shop!.sandbox.consumerKey, consumerSecret: shop!.sandbox.consumerSecret });
  const logOf = (productId: number) => stack.db('sync_log').where({ product_id: productId }).orderBy('id');

  it('a refused key in the middle of a create undoes nothing; the next push completes the same shop product', async () => {
    shop = await shops.fresh({ faults: { rules: [{ method: 'POST', path: /^\/products\/\d+\/variations\/batch$/, status: 401, times: 1 }] } });
    const sku = uniqueSku('OUTAGE');
    const res = await shop.api.post('/api/products', variableProduct(sku, ['S', 'M']));
    assert.equal(res.status, 201);
    await waitFor('the failed create in the sync log', async () => (await logOf(res.data.id)).some((e) => e.status === 'failed'));
    assert.ok(!(await logOf(res.data.id)).some((e) => e.status === 'compensated'), 'not compensated');
    const parent = shop.sandbox.state.findBySku(sku);
    assert.ok(parent, 'the parent created before the refusal is still in the shop');
    // The key works again; the next change completes the create on the same shop product.
    assert.equal((await shop.api.post('/api/products', { ...variableProduct(sku, ['S', 'M']), name: 'again' })).status, 200);
    await waitFor('linked with its variations', async () =>
      Number((await stack.db('product_links').where({ connection_id: shop!.connectionId, product_id: res.data.id }).count({ n: '*' }))[0]!.n) === 3);
    assert.equal(shop.sandbox.state.products().filter((p: { sku: string }) => p.sku === sku).length, 1);
    assert.equal(Number((await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: res.data.id }).whereNull('variant_id').first()).remote_id), parent.id);
    assert.deepEqual(shop.sandbox.state.variations(parent.id).map((v: { sku: string }) => v.sku).sort(), [`${sku}-M`, `${sku}-S`]);
  });

  it('a refused variation under a shop product matched by SKU deletes only the variations this run created', async () => {
    shop = await shops.fresh();
    const sku = uniqueSku('MATCH');
    const c = client();
    // The merchant's own product, with a variation S, and another product already holding the SKU of L.
    const theirs = await c.createProduct({
      name: 'Theirs', sku, type: 'variable', attributes: [{ name: 'Size', visible: true, variation: true, options: ['S', 'M', 'L'] }],
    });
    await c.batchVariations(theirs.id, { create: [{ sku: `${sku}-S`, regular_price: '5', attributes: [{ name: 'Size', option: 'S' }] }] });
    await c.createProduct({ name: 'Holder', sku: `${sku}-L`, regular_price: '1' });
    const res = await shop.api.post('/api/products', variableProduct(sku, ['S', 'M', 'L']));
    assert.equal(res.status, 201);
    const entry = await waitFor('the compensation', async () => (await logOf(res.data.id)).find((e) => e.status === 'compensated'));
    assert.match(entry.message, /creation undone/);
    assert.ok(shop.sandbox.state.product(theirs.id), 'the matched product is not deleted');
    assert.deepEqual(shop.sandbox.state.variations(theirs.id).map((v: { sku: string }) => v.sku), [`${sku}-S`], 'only M, created by this run, was deleted');
  });

  it('an undo that the shop refuses is recorded as compensation_failed', async () => {
    shop = await shops.fresh({
      faults: {
        rules: [
          { method: 'POST', path: /^\/products\/\d+\/variations\/batch$/, status: 400 },
          { method: 'DELETE', path: /^\/products\/\d+$/, status: 403 },
        ],
      },
    });
    const sku = uniqueSku('NOUNDO');
    const res = await shop.api.post('/api/products', variableProduct(sku, ['S']));
    assert.equal(res.status, 201);
    const entry = await waitFor('compensation_failed', async () => (await logOf(res.data.id)).find((e) => e.status === 'compensation_failed'));
    assert.match(entry.message, /could not undo: delete shop product \d+/);
    assert.ok(!(await logOf(res.data.id)).some((e) => e.status === 'compensated'));
  });
});
