import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import axios from 'axios';
import { workflowBundleForTests } from './helpers/workflow-bundle';
import { waitFor } from './helpers/shop';
import { mirroredCatalog, setStartDate } from './helpers/orders';
import { orderSyncWorkflowId } from '../workflows/contracts/order-sync';
import type { orderPoll, orderSync } from '../workflows/order-maintenance';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS } from './helpers/suite-setup';

const ORDERS = 50;
const DELIVERIES = 10;

/**
 * Issue 7.1: any number of concurrent deliveries and polls of one order apply its effect once.
 * Ten different bodies per order (order.created, order.updated, ...) reach the real webhook
 * endpoint together, with order polls racing them.
 */
describe('concurrent deliveries and polls of one order apply it exactly once (issue 7.1)', function () {
  this.timeout(600_000);
  const stack = useTestStack();
  const shop = useShop(stack);
  let skus: string[];
  const secret = crypto.randomBytes(16).toString('hex');

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    skus = await mirroredCatalog(stack, shop, `ONCE${Date.now() % 100000}`);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 5_000));
    stack.webhookSecrets.set(shop.connectionId, secret);
  });
  let worker: ChildProcess | undefined;
  after(async () => {
    worker?.kill('SIGKILL');
  });

  /** Orders in the shop, one line each; returns id → units the shop holds out. */
  async function placeOrders(n: number): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const quantity = 1 + (i % 3);
      const o = shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [{ sku: skus[i % skus.length]!, quantity }] });
      out.set(o.id, quantity);
    }
    return out;
  }

  /** Signed deliveries of different bodies for each order, as WooCommerce sends them. */
  function deliveries(orderIds: number[]): { body: string; topic: string; orderId: number }[] {
    const out = [];
    for (const id of orderIds) {
      for (let k = 0; k < DELIVERIES; k++) {
        out.push({ orderId: id, topic: k % 2 ? 'order.updated' : 'order.created', body: JSON.stringify({ id, status: 'processing', delivery: k, nonce: crypto.randomUUID() }) });
      }
    }
    return out;
  }

  const version = (body: string) => crypto.createHash('sha256').update(body).digest('hex').slice(0, 20);

  /** Per order: the units its stock movements took, against what the shop holds out. */
  async function overDeducted(expected: Map<number, number>): Promise<{ twice: number; wrong: number }> {
    const rows: { reference_id: string; taken: string }[] = await stack.db('stock_movements')
      .whereIn('reference_id', [...expected.keys()].map((id) => `${shop.connectionId}:${id}`))
      .groupBy('reference_id').select('reference_id', stack.db.raw('-sum(delta) AS taken'));
    const taken = new Map(rows.map((r) => [Number(r.reference_id.split(':').pop()), Number(r.taken)]));
    let twice = 0, wrong = 0;
    for (const [id, q] of expected) {
      const t = taken.get(id) ?? 0;
      if (t > q) twice += 1;
      if (t !== q) wrong += 1;
    }
    return { twice, wrong };
  }

  it(`${DELIVERIES} concurrent deliveries of different bodies per order over ${ORDERS} orders, with polls racing them: none deducted more than once`, async () => {
    const expected = await placeOrders(ORDERS);
    const url = `${stack.httpUrl}/webhooks/woocommerce/${shop.connectionId}`;
    const sent = deliveries([...expected.keys()]);
    const polls = Array.from({ length: 3 }, (_, i) => stack.client.workflow.execute<typeof orderPoll>('orderPoll', {
      workflowId: `order-poll-race/${shop.connectionId}/${i}`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    }));
    const answers = await Promise.all(sent.map((d) => axios.post(url, d.body, {
      headers: {
        'content-type': 'application/json', 'x-wc-webhook-topic': d.topic, 'x-wc-webhook-resource': 'order',
        'x-wc-webhook-signature': crypto.createHmac('sha256', secret).update(d.body).digest('base64'),
      },
      validateStatus: () => true,
    })));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    await Promise.all(polls);
    await Promise.all(sent.map((d) => stack.client.workflow.getHandle(orderSyncWorkflowId(shop.connectionId, d.orderId, version(d.body))).result()));
    const { twice, wrong } = await overDeducted(expected);
    console.log(`      orders deducted more than once: ${twice} of ${ORDERS} (${sent.length} deliveries, 3 polls); orders not deducted exactly: ${wrong}`);
    assert.equal(twice, 0, 'orders deducted more than once');
    assert.equal(wrong, 0, 'every order deducted exactly once');
  });

  it('the same with the worker killed in the middle: none deducted more than once', async () => {
    const taskQueue = `once-kill-${process.pid}`;
    const bundle = await workflowBundleForTests();
    const startWorker = (): ChildProcess => spawn(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, '..', 'workers', 'main.ts')], {
      env: {
        ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue,
        WOO_CONNECTION_ID: shop.connectionId, WOO_URL: shop.sandbox.url, WOO_CONSUMER_KEY: shop.sandbox.consumerKey,
        WOO_CONSUMER_SECRET: shop.sandbox.consumerSecret, LOG_LEVEL: 'error', TS_NODE_TRANSPILE_ONLY: 'true', WORKFLOW_BUNDLE: bundle,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    // Slow answers keep many applies in flight when the worker dies.
    shop.sandbox.setLatency({ perRequestMs: 150 });
    const expected = await placeOrders(ORDERS);
    const sent = deliveries([...expected.keys()]);
    worker = startWorker();
    try {
      const handles = await Promise.all(sent.map((d) => stack.client.workflow.start<typeof orderSync>('orderSync', {
        workflowId: `${orderSyncWorkflowId(shop.connectionId, d.orderId, version(d.body))}/kill`, taskQueue, args: [{ connectionId: shop.connectionId, orderId: d.orderId }],
      })));
      await waitFor('some orders applied', async () => {
        const n = Number((await stack.db('remote_orders').where({ connection_id: shop.connectionId }).whereIn('remote_order_id', [...expected.keys()]).count({ n: '*' }))[0]!.n);
        return n >= 5 && n < ORDERS ? n : n >= ORDERS ? n : undefined;
      });
      worker.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      worker = startWorker();
      await Promise.all(handles.map((h) => h.result()));
    } finally {
      worker?.kill('SIGKILL');
      shop.sandbox.setLatency({ perRequestMs: 0 });
    }
    const { twice, wrong } = await overDeducted(expected);
    console.log(`      with a killed worker: orders deducted more than once: ${twice} of ${ORDERS}; not exactly: ${wrong}`);
    assert.equal(twice, 0, 'orders deducted more than once');
    assert.equal(wrong, 0, 'every order deducted exactly once');
  });
});
