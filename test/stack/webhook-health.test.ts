import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from '../helpers/shop';
import { mirroredCatalog, posStockBySku, setStartDate } from '../helpers/orders';
import { ensureWebhookHealthSchedule, ensureWebhooksNow, webhookDeliveryUrl } from '../../stack/webhook-health-starter';
import { webhookHealthScheduleId } from '../../workflows/contracts/webhook-health';
import type { WooWebhook } from '../../activities/woocommerce/client';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

async function deadUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}/hook`;
}

/** Issue 6.11: possync creates its order webhooks and keeps them active after WooCommerce disabled them. */
describe('order webhooks kept healthy (issue 6.11)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack, { webhookDelayMs: 0 });
  let skus: string[];
  let hookUrl: string;
  const secret = crypto.randomBytes(16).toString('hex');

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    skus = await mirroredCatalog(stack, shop, `WHH${Date.now() % 100000}`);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 5_000));
    stack.webhookSecrets.set(shop.connectionId, secret);
    hookUrl = webhookDeliveryUrl(stack.httpUrl, shop.connectionId);
  });
  after(async () => {
    await stack?.client.schedule.getHandle(webhookHealthScheduleId(shop.connectionId)).delete().catch(() => undefined);
  });

  const hooks = async (): Promise<WooWebhook[]> => stack.woo.get(shop.connectionId).listWebhooks();
  const stockOf = async (sku: string) => (await posStockBySku(stack, shop.outletId)).get(sku);
  const buy = (sku: string, quantity: number) =>
    shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [{ sku, quantity }] });

  it('`webhooks ensure` creates exactly one active webhook per order topic, even when run three times at once, signed with the secret', async () => {
    const reports = await Promise.all([1, 2, 3].map(() => ensureWebhooksNow(stack.client, stack.config.temporal.taskQueue, shop.connectionId)));
    assert.ok(reports.some((r) => r.created.length === 2));
    const again = await ensureWebhooksNow(stack.client, stack.config.temporal.taskQueue, shop.connectionId);
    assert.deepEqual(again.created, []);
    const list = await hooks();
    assert.deepEqual(list.map((w) => w.topic).sort(), ['order.created', 'order.updated']);
    for (const w of list) {
      assert.equal(w.status, 'active');
      assert.equal(w.delivery_url, hookUrl);
    }
    // Our endpoint verifies the signature: a live order arrives and is applied.
    buy(skus[0]!, 2);
    await waitFor('the live order', async () => (await stockOf(skus[0]!)) === 98);
    assert.ok(shop.sandbox.webhookDeliveries().every((d) => d.status === 200), JSON.stringify(shop.sandbox.webhookDeliveries()));
  });

  it('after an outage made WooCommerce disable them, the scheduled check re-activates them, reports it, and live orders flow again', async () => {
    const client = stack.woo.get(shop.connectionId);
    const down = await deadUrl();
    for (const w of await hooks()) await client.updateWebhook(w.id, { delivery_url: down });
    // order.created and order.updated are each delivered (and fail) per new order: 7 in a row disable.
    for (let i = 0; i < 7; i++) {
      buy(skus[1]!, 1);
      await shop.sandbox.flushWebhooks();
    }
    assert.deepEqual((await hooks()).map((w) => w.status), ['disabled', 'disabled']);
    const stockWhileDown = await stockOf(skus[1]!);

    await ensureWebhookHealthSchedule(stack.client, stack.config.temporal.taskQueue, shop.connectionId, 3600);
    await stack.client.schedule.getHandle(webhookHealthScheduleId(shop.connectionId)).trigger();
    await waitFor('re-activated webhooks', async () => (await hooks()).every((w) => w.status === 'active' && w.delivery_url === hookUrl));

    const log = await stack.db('sync_log').where({ connection_id: shop.connectionId, action: 'webhooks.repair' }).orderBy('id');
    assert.equal(log.length, 2, JSON.stringify(log));
    for (const e of log) assert.match(e.message, /disabled, delivery_url/);

    buy(skus[1]!, 4);
    await waitFor('a live order after the repair', async () => (await stockOf(skus[1]!)) === stockWhileDown! - 4);
  });

  it('removes a duplicate possync webhook and re-activates a paused one, leaving other webhooks of the shop alone', async () => {
    const client = stack.woo.get(shop.connectionId);
    const [created] = await hooks();
    await client.updateWebhook(created!.id, { status: 'paused' });
    await client.createWebhook({ name: `possync ${shop.connectionId} ${created!.topic}`, topic: created!.topic, delivery_url: hookUrl, secret });
    const foreign = await client.createWebhook({ name: 'merchant CRM', topic: 'order.created', delivery_url: await deadUrl(), secret: 'theirs' });
    const report = await ensureWebhooksNow(stack.client, stack.config.temporal.taskQueue, shop.connectionId);
    assert.equal(report.removed.length, 1);
    const list = await hooks();
    assert.ok(list.some((w) => w.id === foreign.id), 'the merchant webhook stays');
    const ours = list.filter((w) => w.id !== foreign.id);
    assert.deepEqual(ours.map((w) => w.topic).sort(), ['order.created', 'order.updated']);
    assert.ok(ours.every((w) => w.status === 'active'));
  });

  it('`possync webhooks ensure <connection>` repairs them from the command line and prints what it did', async () => {
    const client = stack.woo.get(shop.connectionId);
    const created = (await hooks()).find((w) => w.topic === 'order.updated' && w.name.startsWith('possync'))!;
    await client.updateWebhook(created.id, { status: 'disabled' });
    const http = new URL(stack.httpUrl);
    const env = {
      PATH: process.env.PATH, HOME: process.env.HOME, HTTP_PORT: http.port, TEMPORAL_PORT: stack.temporalAddress.split(':').pop(),
      POSSYNC_DATA_DIR: stack.config.dataDir, // where the CLI finds the admin token
    };
    const cli = path.join(__dirname, '..', '..', 'scripts', 'possync.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'webhooks', 'ensure', shop.connectionId], { env, timeout: 120_000 });
    assert.match(stdout, new RegExp(`repaired\\s+order.updated \\(id ${created.id}\\): disabled`));
    assert.equal((await hooks()).find((w) => w.id === created.id)!.status, 'active');
    // From now on the connection's webhooks are checked periodically.
    const schedule = await stack.client.schedule.getHandle(webhookHealthScheduleId(shop.connectionId)).describe();
    assert.equal(Number(schedule.spec.intervals?.[0]?.every), 300_000);
  });
});
