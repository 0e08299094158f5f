import assert from 'node:assert/strict';
import { TEST_HANG_GUARD_MS, useShopsPerTest, useTestStack } from './helpers/suite-setup';
import { simpleProduct, uniqueSku, variableProduct, waitFor, type TestShop } from './helpers/shop';

describe('push saga: compensation, idempotency and faults', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: TestShop | undefined;

  const linksOf = (sku: string) =>
    stack.db('product_links').join('products', 'products.id', 'product_links.product_id').where('products.sku', sku).where('product_links.connection_id', shop!.connectionId);

  it('undoes the parent when its variations fail for good: no orphan in the shop, no link in the POS', async () => {
    shop = await shops.fresh({ faults: { rules: [{ method: 'POST', path: /^\/products\/\d+\/variations\/batch$/, status: 400 }] } });
    const sku = uniqueSku('SAGA');
    const res = await shop.api.post('/api/products', variableProduct(sku));
    assert.equal(res.status, 201);
    const entry = await waitFor('the compensation in the sync log', () =>
      stack.db('sync_log').where({ product_id: res.data.id, status: 'compensated' }).first(),
    );
    assert.match(entry.message, /creation undone/);
    assert.equal(shop.sandbox.state.findBySku(sku), undefined, 'the parent created first was deleted again');
    const mine = shop.sandbox.state.products().filter((p: { sku: string }) => p.sku.startsWith(sku));
    assert.deepEqual(mine, [], 'no product of this SKU, not even in the trash');
    assert.equal((await linksOf(sku)).length, 0);
    // The failure is logged after the compensation, by the next activity of the same round.
    const failed = await waitFor('the failure in the sync log', () =>
      stack.db('sync_log').where({ product_id: res.data.id, status: 'failed' }).first(),
    );
    assert.match(failed.message, /variations of .* were refused|rest_invalid|400/);
  });

  it('creates exactly one remote product when the create succeeded but its answer was lost', async () => {
    shop = await shops.fresh({ faults: { rules: [{ method: 'POST', path: /^\/products$/, status: 500, applyFirst: true, times: 1 }] } });
    const sku = uniqueSku('LOST');
    const res = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(res.status, 201);
    await waitFor('the link', async () => (await linksOf(sku)).length === 1);
    assert.ok(shop.sandbox.stats().faultsInjected >= 1, 'the lost answer was injected');
    const matching = shop.sandbox.state.products().filter((p: { sku: string }) => p.sku === sku);
    assert.equal(matching.length, 1, 'exactly one product in the shop');
    assert.equal((await linksOf(sku))[0].remote_id, matching[0].id);
  });

  it('completes every push under 30% injected 5xx and 429 answers, duplicating nothing', async () => {
    shop = await shops.fresh({
      faults: {
        // A fixed sequence of faults (seeded), the same on every run: how many requests fail, and
        // so how long the pushes back off, does not depend on chance.
        serverErrorRate: 0.15, rateLimitRate: 0.15, retryAfterSeconds: 1, seed: 1,
        // Random faults may spare a short test; these two always hit the batched stock push:
        // a refused batch, then a batch applied whose answer is lost.
        rules: [
          { method: 'POST', path: /^\/products\/batch$/, status: 503, times: 1 },
          { method: 'POST', path: /^\/products\/batch$/, status: 500, applyFirst: true, times: 1 },
        ],
      },
    });
    const skus = [uniqueSku('FLAKY'), uniqueSku('FLAKY'), uniqueSku('FLAKY')];
    const varSku = uniqueSku('FLAKYV');
    for (const sku of skus) assert.equal((await shop.api.post('/api/products', simpleProduct(sku))).status, 201);
    assert.equal((await shop.api.post('/api/products', variableProduct(varSku))).status, 201);
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [...skus.map((sku) => ({ sku, received: 10 })), { sku: `${varSku}-M`, received: 6 }] });
    // The sales must find the products linked, so that they go through the batched push that the rules hit
    // (on a slow machine the creates could otherwise carry the final stock themselves).
    await waitFor('every product created in the shop', () => [...skus, `${varSku}-M`].every((sku) => shop!.sandbox.state.findBySku(sku)));
    await waitFor('every product linked', async () => Number((await stack.db('product_links').where({ connection_id: shop!.connectionId }).count({ n: '*' }))[0]!.n) >= 8);
    for (let i = 0; i < 5; i++) {
      const r: { status: number } = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku: skus[i % 3], quantity: 1 }, { sku: `${varSku}-M`, quantity: 1 }] });
      assert.equal(r.status, 201);
    }
    const expected: Record<string, number> = { [skus[0]!]: 8, [skus[1]!]: 8, [skus[2]!]: 9, [`${varSku}-M`]: 1 };
    await waitFor('every shop stock equal to the POS stock', () =>
      Object.entries(expected).every(([sku, q]) => shop!.sandbox.state.findBySku(sku)?.stock_quantity === q));
    assert.ok(shop.sandbox.stats().faultsInjected > 0, 'faults were injected');
    const all = shop.sandbox.state.products();
    for (const sku of [...skus, varSku]) assert.equal(all.filter((p: { sku: string }) => p.sku === sku).length, 1, `one ${sku}`);
    const parent = shop.sandbox.state.findBySku(varSku);
    assert.equal(shop.sandbox.state.variations(parent.id).length, 4, 'four variations, none doubled');
  });

  it('coalesces a burst of changes into few shop writes', async () => {
    shop = await shops.fresh();
    const sku = uniqueSku('BURST');
    await shop.api.post('/api/products', simpleProduct(sku));
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 100 }] });
    await waitFor('initial stock', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 100);
    const id = shop.sandbox.state.findBySku(sku).id;
    const before = shop.sandbox.stats().writesByProductId[id] ?? 0;
    await Promise.all(Array.from({ length: 20 }, () => shop!.api.post('/api/sales', { register_id: shop!.registerId, lines: [{ sku, quantity: 1 }] })));
    await waitFor('final stock', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 80);
    const writes = (shop.sandbox.stats().writesByProductId[id] ?? 0) - before;
    assert.ok(writes <= 4, `20 sales in a burst became ${writes} writes`);
  });
});
