import assert from 'node:assert/strict';
import { simpleProduct, uniqueSku, waitFor, type TestShop } from './helpers/shop';
import { sampleValue } from './helpers/prometheus-text';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** Issue 9 "Numbers an operator can watch": GET /metrics over real HTTP, after real pushes to a sandbox. */
describe('GET /metrics', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: TestShop | undefined;

  const scrape = async () => {
    const res = await shop!.api.get('/metrics');
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    return String(res.data);
  };

  async function productInShop(sku: string, stock: number): Promise<void> {
    assert.equal((await shop!.api.post('/api/products', simpleProduct(sku))).status, 201);
    await shop!.api.post('/api/stock-orders', { outlet_id: shop!.outletId, lines: [{ sku, received: stock }] });
    await waitFor('the product in the shop', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === stock);
  }

  it('times a sale from its commit to the shop acknowledging it, per connection, and counts the shop requests', async () => {
    shop = await shops.fresh();
    const connection = shop.connectionId;
    const sku = uniqueSku('MET');
    await productInShop(sku, 10);
    const before = await scrape();
    // The sale goes out batched, or with the product's own push when that push is still pending: either path is timed.
    const lagCount = (text: string) => sampleValue(text, 'possync_push_lag_seconds_count', { connection, path: 'batched' }) +
      sampleValue(text, 'possync_push_lag_seconds_count', { connection, path: 'single' });
    const lagBefore = lagCount(before);

    assert.equal((await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] })).status, 201);
    await waitFor('the sale in the shop', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 9);
    const after = await waitFor('the lag sample', async () => {
      const text = await scrape();
      return lagCount(text) > lagBefore && text;
    });
    assert.ok(sampleValue(after, 'possync_push_lag_seconds_sum', { connection }) > 0);
    assert.ok(sampleValue(after, 'possync_shop_requests_total', { connection, status: '200' }) > 0);
    assert.ok(sampleValue(after, 'possync_shop_requests_total', { connection, method: 'POST', status: '200' }) +
      sampleValue(after, 'possync_shop_requests_total', { connection, method: 'PUT', status: '200' }) > 0, 'the update was counted');
    for (const name of ['possync_outbox_depth', 'possync_push_pending_oldest_seconds', 'possync_push_pending_products']) {
      assert.match(after, new RegExp(`^${name} \\d`, 'm'), `${name} is exposed`);
    }
  });

  it('counts 429 answers of the shop apart, and the retries they cause', async () => {
    shop = await shops.fresh();
    const connection = shop.connectionId;
    const sku = uniqueSku('MET429');
    await productInShop(sku, 10);
    const before = await scrape();
    const retriesBefore = sampleValue(before, 'possync_activity_retries_total');
    // Retry-After: 0 (some rate limiters send it) once ended the batched push's retries: the sale waited for the reconciliation.
    shop.sandbox.setFaults({ retryAfterSeconds: 0, rules: [{ method: 'POST', path: '/products/batch', status: 429, times: 2 }] });

    await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 2 }] });
    await waitFor('the sale in the shop despite the 429s', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 8);
    const after = await scrape();
    assert.equal(sampleValue(after, 'possync_shop_requests_total', { connection, status: '429' }), 2);
    assert.ok(sampleValue(after, 'possync_activity_retries_total') >= retriesBefore + 2);
    assert.ok(sampleValue(after, 'possync_activity_failures_total', { kind: 'WooApiError.rate_limited' }) >= 2);
    assert.ok(sampleValue(after, 'possync_push_lag_seconds_count', { connection }) >= 1);
  });

  it('reads the queue depths from the database at scrape time', async () => {
    shop = await shops.fresh();
    const sku = uniqueSku('METQ');
    await productInShop(sku, 10);
    const [{ id }] = await stack.db('products').where({ sku }).select('id');
    // Held in the queue: a 5xx answer is retried, the entry stays until the shop takes it.
    shop.sandbox.setFaults({ serverErrorRate: 1 });
    await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] });
    const held = await waitFor('the queued entry and its failure', async () => {
      const text = await scrape();
      return sampleValue(text, 'possync_batch_queue_depth', { connection: shop!.connectionId }) === 1 &&
        sampleValue(text, 'possync_push_failures', { connection: shop!.connectionId, retrying: 'true' }) === 1 && text;
    });
    assert.ok(sampleValue(held, 'possync_shop_requests_total', { connection: shop.connectionId, status: '500' }) +
      sampleValue(held, 'possync_shop_requests_total', { connection: shop.connectionId, status: '502' }) +
      sampleValue(held, 'possync_shop_requests_total', { connection: shop.connectionId, status: '503' }) > 0);
    shop.sandbox.resetFaults();
    await waitFor('the sale in the shop', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 9);
    await waitFor('the queue empty', async () => sampleValue(await scrape(), 'possync_batch_queue_depth', { connection: shop!.connectionId }) === 0);
    assert.ok(id > 0);
  });
});
