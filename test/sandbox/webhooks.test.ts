import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startWooSandbox } from '../../sandbox/woocommerce';
import { recorded, recordedDelivery } from './helpers/fixtures';
import { createOrder, smallShop } from './helpers/orders';
import { useSandbox } from './helpers/sandbox';
import { type WebhookReceiver, startReceiver } from './helpers/webhook-receiver';
import { woo } from './helpers/woo-http';

const SECRET = 'rig-webhook-secret';

/** An HMAC computed here, independently of the sandbox. */
const sign = (body: string, secret = SECRET): string => crypto.createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('base64');

const headerNames = (headers: Array<[string, string]>): string[] => headers.map(([k]) => k.toLowerCase());

describe('WooCommerce sandbox: webhooks', function () {
  this.timeout(20_000);
  // Long enough for a test to change things before the (asynchronous) delivery goes out.
  const sandbox = useSandbox({ webhookDelayMs: 250 });
  let rx: WebhookReceiver;

  beforeEach(async () => {
    rx = await startReceiver();
  });
  afterEach(async () => {
    await sandbox().flushWebhooks();
    await rx.close();
  });

  async function hook(topic: string, extra: Record<string, unknown> = {}): Promise<any> {
    const res = await woo(sandbox(), { method: 'POST', path: '/webhooks', body: { name: `hook ${topic}`, topic, delivery_url: `${rx.url}/hooks`, secret: SECRET, ...extra } });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  it('the recorded deliveries are signed with base64(HMAC-SHA256(body, secret))', () => {
    for (const file of ['003-order.created.http', '004-product.updated.http', '005-product.updated.http', '006-product.updated.http']) {
      const d = recordedDelivery(file);
      const signature = d.headers.find(([k]) => k === 'X-WC-Webhook-Signature')![1];
      assert.equal(sign(d.body), signature, file);
    }
  });

  it('creates a webhook like the recorded store, pinging its URL before answering', async () => {
    const fixture = recorded('25');
    const body = { ...JSON.parse(fixture.request!.body!), delivery_url: `${rx.url}/hooks/product` };
    const res = await woo(sandbox(), { method: 'POST', path: '/webhooks', body });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `${sandbox().url}/wp-json/wc/v3/webhooks/1`);
    const strip = (v: any): any => ({ ...v, delivery_url: 'URL', date_created: 'D', date_created_gmt: 'D', _links: Object.keys(v._links) });
    assert.deepEqual(strip(res.body), strip(fixture.body));
    assert.equal(res.body.date_modified, null);
    assert.equal(rx.received.length, 1, 'the ping arrived before the answer');
    const ping = rx.received[0]!;
    const want = recordedDelivery('001-ping.http');
    assert.deepEqual(headerNames(ping.rawHeaders), headerNames(want.headers));
    assert.equal(ping.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(ping.headers['user-agent'], 'WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)');
    assert.equal(ping.body, 'webhook_id=1');
    assert.ok(!ping.rawHeaders.some(([k]) => /^x-wc-/i.test(k)), 'no X-WC headers, no signature');
    assert.equal(sandbox().webhookDeliveries().length, 0, 'pings are not deliveries');
    const second = await woo(sandbox(), { method: 'POST', path: '/webhooks', body: { ...JSON.parse(recorded('26').request!.body!), delivery_url: `${rx.url}/hooks/order` } });
    assert.deepEqual([second.body.id, second.body.status, second.body.hooks], [2, 'active', ['woocommerce_new_order']]);
    const list = await woo(sandbox(), { path: '/webhooks' });
    assert.equal(list.headers.get('x-wp-total'), '2');
    assert.deepEqual(Object.keys(list.body[0]), Object.keys(recorded('40').body[0]));
    assert.ok(!JSON.stringify(list.body).includes(SECRET), 'the secret is write-only');
  });

  it('validates, updates and deletes webhooks like the webhooks controller', async () => {
    const missing = await woo(sandbox(), { method: 'POST', path: '/webhooks', body: { name: 'x' } });
    assert.deepEqual([missing.status, missing.body.code, missing.body.message], [400, 'rest_missing_callback_param', 'Missing parameter(s): topic, delivery_url']);
    const topic = await woo(sandbox(), { method: 'POST', path: '/webhooks', body: { topic: 'order.shipped', delivery_url: rx.url } });
    assert.deepEqual([topic.status, topic.body.code], [400, 'woocommerce_rest_shop_webhook_invalid_topic']);
    const url = await woo(sandbox(), { method: 'POST', path: '/webhooks', body: { topic: 'order.created', delivery_url: 'ftp://example.com' } });
    assert.deepEqual([url.status, url.body.code], [400, 'woocommerce_rest_shop_webhook_invalid_delivery_url']);
    const w = await hook('order.created');
    const paused = await woo(sandbox(), { method: 'PUT', path: `/webhooks/${w.id}`, body: { status: 'paused', topic: 'order.updated' } });
    assert.deepEqual([paused.body.status, paused.body.topic, paused.body.event], ['paused', 'order.updated', 'updated']);
    assert.ok(paused.body.date_modified);
    const unknown = await woo(sandbox(), { path: '/webhooks/99' });
    assert.deepEqual([unknown.status, unknown.body.code, unknown.body.message], [400, 'woocommerce_rest_shop_webhook_invalid_id', 'ID is invalid.']);
    const soft = await woo(sandbox(), { method: 'DELETE', path: `/webhooks/${w.id}` });
    assert.deepEqual([soft.status, soft.body.code], [501, 'woocommerce_rest_trash_not_supported']);
    const del = await woo(sandbox(), { method: 'DELETE', path: `/webhooks/${w.id}`, query: { force: true } });
    assert.equal(del.body.id, w.id);
    assert.equal((await woo(sandbox(), { path: '/webhooks' })).body.length, 0);
  });

  it('delivers order.created with the recorded headers, a verifiable signature and the order as it is at delivery', async () => {
    const shop = await smallShop(sandbox());
    const w = await hook('order.created');
    rx.received.length = 0;
    const o = await createOrder(sandbox(), { status: 'processing', line_items: [{ product_id: shop.tee.id, quantity: 1 }] });
    // Changed before the (asynchronous) delivery: the payload shows the change.
    sandbox().state.updateOrder(o.id, { status: 'completed' });
    assert.equal(rx.received.length, 0, 'delivered asynchronously');
    await sandbox().flushWebhooks();
    assert.equal(rx.received.length, 1);
    const d = rx.received[0]!;
    const want = recordedDelivery('003-order.created.http');
    assert.deepEqual(headerNames(d.rawHeaders), headerNames(want.headers));
    assert.equal(d.headers['content-type'], 'application/json');
    assert.equal(d.headers['x-wc-webhook-source'], `${sandbox().url}/`);
    assert.deepEqual([d.headers['x-wc-webhook-topic'], d.headers['x-wc-webhook-resource'], d.headers['x-wc-webhook-event']], ['order.created', 'order', 'created']);
    assert.equal(d.headers['x-wc-webhook-id'], String(w.id));
    assert.match(String(d.headers['x-wc-webhook-delivery-id']), /^[0-9a-f]{32}$/);
    assert.equal(d.headers['x-wc-webhook-signature'], sign(d.body));
    assert.notEqual(d.headers['x-wc-webhook-signature'], sign(d.body, 'another-secret'));
    assert.ok(d.body.includes('http:\\/\\/'), 'wp_json_encode escapes slashes');
    const payload = JSON.parse(d.body);
    assert.equal(payload.status, 'completed');
    assert.deepEqual(payload, (await woo(sandbox(), { path: `/orders/${o.id}` })).body);
    assert.deepEqual(Object.keys(payload), Object.keys(JSON.parse(want.body)));
    const [log] = sandbox().webhookDeliveries();
    assert.deepEqual({ ...log, at: 0 }, { webhookId: w.id, topic: 'order.created', resourceId: o.id, status: 200, at: 0 });
  });

  it('coalesces a pending delivery for the same resource; stock moved by an order fires product.updated', async () => {
    const shop = await smallShop(sandbox());
    await hook('product.updated');
    await hook('order.updated');
    await createOrder(sandbox(), { set_paid: true, line_items: [{ product_id: shop.tee.id }, { variation_id: shop.small.id }] });
    await woo(sandbox(), { method: 'PUT', path: `/products/${shop.tee.id}`, body: { regular_price: '17.00' } });
    await woo(sandbox(), { method: 'PUT', path: `/products/${shop.tee.id}`, body: { regular_price: '16.00' } });
    await sandbox().flushWebhooks();
    const deliveries = sandbox().webhookDeliveries();
    const products = deliveries.filter((d) => d.topic === 'product.updated').map((d) => d.resourceId).sort();
    assert.deepEqual(products, [shop.tee.id, shop.small.id].sort(), 'one delivery per product');
    assert.equal(deliveries.filter((d) => d.topic === 'order.updated').length, 1, 'order creation also saves the order again');
    const tee = rx.received.find((r) => r.headers['x-wc-webhook-topic'] === 'product.updated' && JSON.parse(r.body).id === shop.tee.id)!;
    assert.deepEqual([JSON.parse(tee.body).price, JSON.parse(tee.body).stock_quantity], ['16.00', 6]);
  });

  it('sends {"id": N} when an order is trashed (order.deleted)', async () => {
    const shop = await smallShop(sandbox());
    await hook('order.deleted');
    const o = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    await woo(sandbox(), { method: 'DELETE', path: `/orders/${o.id}` });
    await sandbox().flushWebhooks();
    const d = rx.received.find((r) => r.headers['x-wc-webhook-topic'] === 'order.deleted')!;
    assert.equal(d.body, `{"id":${o.id}}`);
  });

  it('fires for checkout orders and merchant edits, never for seeded history', async () => {
    await smallShop(sandbox());
    await hook('order.created');
    await hook('order.updated');
    sandbox().seedOrders({ count: 20, createdBefore: new Date() });
    await sandbox().flushWebhooks();
    assert.equal(sandbox().webhookDeliveries().length, 0);
    const o = sandbox().state.createOrder({ line_items: [{ sku: 'TEE' }] });
    await sandbox().flushWebhooks();
    sandbox().state.updateOrder(o.id, { status: 'cancelled' });
    await sandbox().flushWebhooks();
    assert.deepEqual(sandbox().webhookDeliveries().map((d) => d.topic).sort(), ['order.created', 'order.updated', 'order.updated']);
  });

  it('disables a webhook whose failure_count is already above 5 (the 7th failure in a row); a success resets the count', async () => {
    const shop = await smallShop(sandbox());
    const w = await hook('order.updated');
    const o = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    await sandbox().flushWebhooks();
    const fail = async (times: number): Promise<void> => {
      for (let i = 0; i < times; i++) {
        await woo(sandbox(), { method: 'PUT', path: `/orders/${o.id}`, body: { customer_note: `try ${i}` } });
        await sandbox().flushWebhooks();
      }
    };
    const status = async (): Promise<string> => (await woo(sandbox(), { path: `/webhooks/${w.id}` })).body.status;
    rx.answer(500);
    await fail(5);
    rx.answer(302);
    await fail(1);
    rx.answer(500);
    await fail(6);
    assert.equal(await status(), 'active', '6 failures since the last success');
    await fail(1);
    assert.equal(await status(), 'disabled');
    const before = sandbox().webhookDeliveries().length;
    await fail(1);
    assert.equal(sandbox().webhookDeliveries().length, before, 'a disabled webhook gets nothing');
    assert.deepEqual(
      sandbox().webhookDeliveries().map((d) => d.status),
      [200, 500, 500, 500, 500, 500, 302, 500, 500, 500, 500, 500, 500, 500],
    );
  });

  it('counts a transport error as a failed delivery', async () => {
    const shop = await smallShop(sandbox());
    const closed = await startReceiver();
    await closed.close();
    await woo(sandbox(), { method: 'POST', path: '/webhooks', body: { topic: 'order.created', delivery_url: `${closed.url}/gone`, secret: SECRET } });
    await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    await sandbox().flushWebhooks();
    assert.deepEqual(sandbox().webhookDeliveries().map((d) => d.status), ['error']);
  });

  it('injects faults: lost deliveries, duplicates and reordering', async () => {
    const shop = await smallShop(sandbox());
    await hook('order.created');
    rx.received.length = 0;
    sandbox().setWebhookFaults({ lossRate: 1 });
    await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    await sandbox().flushWebhooks();
    assert.equal(rx.received.length, 0);
    assert.equal(sandbox().webhookDeliveries()[0]!.status, 'lost');

    sandbox().setWebhookFaults({ lossRate: 0, duplicateRate: 1 });
    const o = await createOrder(sandbox(), { line_items: [{ product_id: shop.tee.id }] });
    await sandbox().flushWebhooks();
    assert.equal(rx.received.length, 2);
    const [a, b] = rx.received;
    assert.equal(a!.body, b!.body);
    assert.equal(a!.headers['x-wc-webhook-signature'], b!.headers['x-wc-webhook-signature']);
    assert.equal(a!.headers['x-wc-webhook-delivery-id'], b!.headers['x-wc-webhook-delivery-id']);
    assert.deepEqual(sandbox().webhookDeliveries().slice(1).map((d) => [d.resourceId, d.duplicate ?? false]), [[o.id, false], [o.id, true]]);

    sandbox().resetFaults();
    sandbox().setWebhookFaults({ reorderJitterMs: 400 });
    rx.received.length = 0;
    const ids = Array.from({ length: 20 }, () => sandbox().state.createOrder({ line_items: [{ sku: 'TEE' }] }).id);
    await sandbox().flushWebhooks();
    const arrived = rx.received.map((r) => JSON.parse(r.body).id);
    assert.deepEqual([...arrived].sort((x, y) => x - y), ids, 'all arrive');
    assert.notDeepEqual(arrived, ids, 'out of order');
  });
});

describe('WooCommerce sandbox: webhooks and close()', () => {
  it('cancels queued deliveries on close, so nothing keeps the process alive', async () => {
    const rx = await startReceiver();
    const sb = await startWooSandbox({ webhookDelayMs: 60_000 });
    try {
      await woo(sb, { method: 'POST', path: '/products', body: { name: 'Tee', sku: 'T', regular_price: '5' } });
      await woo(sb, { method: 'POST', path: '/webhooks', body: { topic: 'order.created', delivery_url: rx.url, secret: SECRET } });
      sb.state.createOrder({ line_items: [{ sku: 'T' }] });
      const flushed = sb.flushWebhooks();
      const started = Date.now();
      await sb.close();
      await flushed;
      assert.ok(Date.now() - started < 30_000, 'close did not wait for the 60 s delivery delay');
      assert.equal(rx.received.length, 1, 'only the ping');
      assert.deepEqual(sb.webhookDeliveries(), []);
    } finally {
      await rx.close();
    }
  });
});
