import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import axios from 'axios';
import { WorkflowNotFoundError } from '@temporalio/client';
import { waitFor } from './helpers/shop';
import { mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { orderSyncWorkflowId } from '../workflows/contracts/order-sync';
import type { orderPoll } from '../workflows/order-maintenance';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** M-B1: live orders through signed webhooks, and the poll that catches what webhooks miss. */
describe('live order sync (M-B1)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  let skus: string[];
  const secret = crypto.randomBytes(16).toString('hex');
  let hookUrl: string;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    skus = await mirroredCatalog(stack, shop, `SYNC${Date.now() % 100000}`);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 5_000));
    stack.webhookSecrets.set(shop.connectionId, secret);
    hookUrl = `${stack.httpUrl}/webhooks/woocommerce/${shop.connectionId}`;
    const client = stack.woo.get(shop.connectionId);
    for (const topic of ['order.created', 'order.updated']) {
      await client.createWebhook({ name: topic, topic, delivery_url: hookUrl, secret });
    }
  });

  const stockOf = async (sku: string) => (await posStockBySku(stack, shop.outletId)).get(sku);
  const buy = (sku: string, quantity: number) =>
    shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [{ sku, quantity }] });

  it('a new order deducts at the register outlet, once even when delivered twice', async () => {
    shop.sandbox.setWebhookFaults({ duplicateRate: 1 });
    const other = await posStockBySku(stack, shop.otherOutletId);
    buy(skus[0]!, 3);
    await shop.sandbox.flushWebhooks();
    await waitFor('the deduction', async () => (await stockOf(skus[0]!)) === 97);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await stockOf(skus[0]!), 97, 'deducted once');
    assert.ok(shop.sandbox.webhookDeliveries().some((d) => d.duplicate), 'a duplicate was delivered');
    assert.deepEqual(await posStockBySku(stack, shop.otherOutletId), other);
    shop.sandbox.setWebhookFaults({ duplicateRate: 0 });
  });

  it('a cancelled order gives its stock back, exactly once', async () => {
    const order = buy(skus[1]!, 4);
    await waitFor('the deduction', async () => (await stockOf(skus[1]!)) === 96);
    shop.sandbox.state.updateOrder(order.id, { status: 'cancelled' });
    await waitFor('the stock back', async () => (await stockOf(skus[1]!)) === 100);
    shop.sandbox.state.updateOrder(order.id, { customer_note: 'edited after cancelling' });
    await shop.sandbox.flushWebhooks();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await stockOf(skus[1]!), 100);
  });

  it('a lost webhook is caught by the poll', async () => {
    shop.sandbox.setWebhookFaults({ lossRate: 1 });
    const order = buy(skus[2]!, 2);
    await shop.sandbox.flushWebhooks();
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await stockOf(skus[2]!), 100, 'the webhook was lost');
    const r = await stack.client.workflow.execute<typeof orderPoll>('orderPoll', {
      workflowId: `order-poll/${shop.connectionId}/test`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    assert.ok(r.orders >= 1);
    assert.equal(await stockOf(skus[2]!), 98, `order ${order.id} was caught by the poll`);
    shop.sandbox.setWebhookFaults({ lossRate: 0 });
  });

  it('answers the ping, refuses unsigned, badly signed and malformed deliveries, and starts nothing for them', async () => {
    const post = (body: string, headers: Record<string, string>) => axios.post(hookUrl, body, { headers, validateStatus: () => true, transformRequest: [(d: unknown) => d] });
    assert.equal((await post('webhook_id=9', { 'content-type': 'application/x-www-form-urlencoded' })).status, 200);
    const body = JSON.stringify({ id: 999_001, status: 'processing', date_modified_gmt: '2030-01-01T00:00:00' });
    const json = { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created' };
    assert.equal((await post(body, json)).status, 401, 'unsigned');
    const wrong = crypto.createHmac('sha256', 'not-the-secret').update(body).digest('base64');
    assert.equal((await post(body, { ...json, 'x-wc-webhook-signature': wrong })).status, 401, 'bad signature');
    const broken = '{"id": 999002,';
    const signed = crypto.createHmac('sha256', secret).update(broken).digest('base64');
    assert.equal((await post(broken, { ...json, 'x-wc-webhook-signature': signed })).status, 400, 'malformed');
    const hash = (b: string) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 20);
    for (const id of [orderSyncWorkflowId(shop.connectionId, 999_001, hash(body))]) {
      await assert.rejects(stack.client.workflow.getHandle(id).describe(), WorkflowNotFoundError);
    }
    assert.equal(await stack.db('remote_orders').whereIn('remote_order_id', [999_001, 999_002]).first(), undefined);
  });

  it('leaves orders placed before the connection to the import (M-B2)', async () => {
    await setStartDate(stack, shop.connectionId, new Date(Date.now() + 60_000));
    buy(skus[3]!, 1);
    await shop.sandbox.flushWebhooks();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await stockOf(skus[3]!), 100);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 60_000));
  });
});
