import assert from 'node:assert/strict';
import { ecom, ecomProduct, useEcomSandbox } from './helpers/ecom';
import { startReceiver, type WebhookReceiver } from './helpers/webhook-receiver';

describe('eCom sandbox: orders and order webhooks', () => {
  const sandbox = useEcomSandbox({ webhookDelayMs: 1 });
  let receiver: WebhookReceiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  async function tracked(stock: number) {
    const { product, variant } = await ecomProduct(sandbox(), { title: 'Sold' });
    await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { sku: 'SOLD-1', stockTracking: 'enabled', stockLevel: stock, priceIncl: 12.1 } } });
    return { product, variant };
  }

  it('lists orders with their products; a sale lowers a tracked stock level', async () => {
    const { product, variant } = await tracked(10);
    const order = sandbox().placeOrder({ lines: [{ variantId: variant.id, quantity: 3 }] });
    const got = (await ecom(sandbox(), { path: `/orders/${order.id}` })).body.order;
    assert.equal(got.number, order.number);
    assert.equal(got.status, 'processing_awaiting_payment');
    assert.equal(got.paymentStatus, 'not_paid');
    assert.equal(got.products.resource.url, `orders/${order.id}/products`);
    const lines = (await ecom(sandbox(), { path: `/orders/${order.id}/products` })).body.orderProducts;
    assert.equal(lines.length, 1);
    assert.equal(lines[0].quantityOrdered, 3);
    assert.equal(lines[0].sku, 'SOLD-1');
    assert.equal(lines[0].priceIncl, '12.10');
    assert.equal(lines[0].variant.resource.id, variant.id);
    assert.equal(lines[0].product.resource.id, product.id);
    assert.equal((await ecom(sandbox(), { path: `/variants/${variant.id}` })).body.variant.stockLevel, 7);
    assert.deepEqual((await ecom(sandbox(), { path: '/orders/count' })).body, { count: 1 });
    const past = new Date(Date.now() - 60_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.equal((await ecom(sandbox(), { path: '/orders', query: { updated_at_min: past } })).body.orders.length, 1);
    assert.equal((await ecom(sandbox(), { method: 'POST', path: '/orders', body: { order: {} } })).status, 404);
  });

  it('sends order webhooks to `address`: created, updated, paid', async () => {
    const { variant } = await tracked(5);
    const hook = await ecom(sandbox(), { method: 'POST', path: '/webhooks', body: { webhook: { isActive: true, itemGroup: 'orders', itemAction: '*', language: 'nl', format: 'json', address: `${receiver.url}/ecom` } } });
    assert.equal(hook.status, 201);
    await ecom(sandbox(), { method: 'POST', path: '/webhooks', body: { webhook: { itemGroup: 'orders', itemAction: 'paid', language: 'nl', format: 'json', address: `${receiver.url}/paid` } } });
    assert.equal((await ecom(sandbox(), { method: 'POST', path: '/webhooks', body: { webhook: { itemGroup: 'orders', itemAction: 'x', address: receiver.url } } })).status, 400);
    const before = receiver.received.length;
    const order = sandbox().placeOrder({ lines: [{ variantId: variant.id, quantity: 1 }] });
    await receiver.waitFor(before + 1);
    const created = receiver.received[before]!;
    assert.equal(created.path, '/ecom');
    assert.equal(created.headers['x-shop-id'], '123456');
    assert.equal(created.headers['x-language'], 'nl');
    const payload = JSON.parse(created.body);
    assert.equal(payload.order.id, order.id);
    assert.equal(payload.order.products.resource.embedded[0].quantityOrdered, 1);
    const put = await ecom(sandbox(), { method: 'PUT', path: `/orders/${order.id}`, body: { order: { paymentStatus: 'paid', status: 'processing_awaiting_shipment' } } });
    assert.equal(put.body.order.paymentStatus, 'paid');
    await receiver.waitFor(before + 3);
    await sandbox().flushWebhooks();
    assert.deepEqual(sandbox().webhookDeliveries().map((d) => d.event).sort(), ['created', 'paid', 'updated']);
    assert.ok(sandbox().webhookDeliveries().every((d) => d.status === 200));
  });
});

describe('eCom sandbox: injected faults and stats', () => {
  const sandbox = useEcomSandbox();

  it('answers 5xx without applying the request', async () => {
    sandbox().setFaults({ serverErrorRate: 1 });
    const res = await ecom(sandbox(), { method: 'POST', path: '/brands', body: { brand: { title: 'No' } } });
    assert.ok([500, 502, 503].includes(res.status));
    assert.equal(res.body.error.code, res.status);
    assert.equal(sandbox().state.brands.size, 0);
    assert.equal(sandbox().stats().faultsInjected, 1);
  });

  it('applies the write and loses the answer', async () => {
    sandbox().setFaults({ lostResponseRate: 1 });
    const res = await ecom(sandbox(), { method: 'POST', path: '/brands', body: { brand: { title: 'Yes' } } });
    assert.equal(res.status, 500);
    assert.equal(sandbox().state.brands.size, 1);
    assert.equal((await ecom(sandbox(), { path: '/brands' })).status, 200, 'reads are not affected');
  });

  it('can answer the error envelope under a 2xx, by rule, a given number of times', async () => {
    sandbox().setFaults({ rules: [{ method: 'GET', path: '/products', status: 200, body: { error: { code: 429, message: 'Too many requests' } }, times: 1 }] });
    const first = await ecom(sandbox(), { path: '/products' });
    assert.equal(first.status, 200);
    assert.equal(first.body.error.code, 429);
    assert.deepEqual((await ecom(sandbox(), { path: '/products' })).body, { products: [] });
  });

  it('counts requests by route and 429s', async () => {
    await ecom(sandbox(), { path: '/products' });
    await ecom(sandbox(), { path: '/products/count' });
    await ecom(sandbox(), { path: '/products/count' });
    const stats = sandbox().stats();
    assert.equal(stats.byRoute['GET /products'], 1);
    assert.equal(stats.byRoute['GET /products/count'], 2);
    assert.equal(stats.rateLimited, 0);
    assert.equal(stats.requests, 3);
  });
});
