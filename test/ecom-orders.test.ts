import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import axios from 'axios';
import type { Knex } from 'knex';
import { ensureEcomOrderPoll } from '../stack/ecom-order-starter';
import { ecomOrderPollWorkflowId, ecomOrderSyncWorkflowId } from '../workflows/contracts/ecom-orders';
import { orderPollStatusQuery, type OrderPollStatus } from '../workflows/contracts/order-sync';
import type { ecomOrderPoll, ecomOrderSync } from '../workflows/ecom-orders';
import { ecomSimpleProduct, ecomVariantProduct, freshEcomShop, type EcomTestShop } from './helpers/ecom-shop';
import { posStockBySku } from './helpers/orders';
import { startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { simpleProduct, uniqueSku, variableProduct, waitFor } from './helpers/shop';
import { SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS, useTestStack } from './helpers/suite-setup';
import { currentDetails } from './helpers/workflow-details';

/**
 * Issue 10 point 7 (M-C7): an eCom sale reduces POS stock at the outlet of the eCom register,
 * exactly once, by webhook (token in the address) or by the long-lived poll, with the per-order
 * difference arithmetic of WooCommerce orders. Real PostgreSQL, Temporal and the eCom sandbox.
 */
describe('eCom orders into the POS (issue 10 point 7)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: EcomTestShop;
  let otherOutletId: number;
  let token: string;
  let hookId: number;
  /** POS SKUs: A matched by SKU, B by its product link, shirt variants by variant links. */
  const sku = { a: uniqueSku('EA'), b: uniqueSku('EB'), shirt: uniqueSku('ESH') };
  const eco = {} as { a: number; b: number; s: number; m: number; unknown: number };

  const poll = () => stack.client.workflow.getHandle(ecomOrderPollWorkflowId(shop.connectionId));
  const status = (): Promise<OrderPollStatus> => poll().query(orderPollStatusQuery);
  const stock = async () => posStockBySku(stack, shop.outletId);
  const taken = async (orderId: number): Promise<number> => 0 - Number((await stack.db('stock_movements')
    .where({ reference_type: 'ecom_order', reference_id: `${shop.connectionId}:${orderId}` }).sum({ n: 'delta' }))[0]!.n ?? 0);
  const webhookUrl = (t: string | null, connectionId = shop.connectionId) =>
    `${stack.httpUrl}/webhooks/ecom/${encodeURIComponent(connectionId)}${t === null ? '' : `?token=${encodeURIComponent(t)}`}`;
  const setHookActive = (active: boolean) => shop.client.call('PUT', `webhooks/${hookId}`, { body: { webhook: { isActive: active } } });

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    // Active: the webhook answers and orders apply only for an active connection (its writer pushes the linked items too).
    shop = await freshEcomShop(stack, { webhookDelayMs: 0, rateLimit: { timeScale: 0.05 } }, { writer: true });
    // Orders are dated to the second: the connection started a little before, so none of the test's orders counts as history (M-B2).
    await stack.db('connections').where({ id: shop.connectionId }).update({ start_date: new Date(Date.now() - 5_000) });
    const api = shop.api;
    for (const s of [sku.a, sku.b]) assert.equal((await api.post('/api/products', simpleProduct(s, { channels: ['in_store'] }))).status, 201);
    assert.equal((await api.post('/api/products', { ...variableProduct(sku.shirt, ['S', 'M']), channels: ['in_store'] })).status, 201);
    const [other] = await stack.db('outlets').insert({ name: `other ${shop.connectionId}` }, ['id']);
    otherOutletId = other.id;
    const lines = [sku.a, sku.b, `${sku.shirt}-S`, `${sku.shirt}-M`].map((s) => ({ sku: s, counted: 100 }));
    for (const outlet of [shop.outletId, otherOutletId]) assert.equal((await api.post('/api/stock-counts', { outlet_id: outlet, lines })).status, 201);

    // The shop's catalog as the writer leaves it: A only shares its SKU; B and the shirt are linked, under eCom SKUs the POS does not know.
    eco.a = (await ecomSimpleProduct(shop, sku.a)).variantId;
    const b = await ecomSimpleProduct(shop, `${sku.b}-ECOM`);
    eco.b = b.variantId;
    const shirt = await ecomVariantProduct(shop, [{ title: 'S', sku: `${sku.shirt}-ES` }, { title: 'M', sku: `${sku.shirt}-EM` }]);
    [eco.s, eco.m] = shirt.variantIds as [number, number];
    eco.unknown = (await ecomSimpleProduct(shop, uniqueSku('ECOM-ONLY'))).variantId;
    const pos = await stack.db('products').whereIn('sku', [sku.b, sku.shirt]).select('id', 'sku');
    const idOf = (s: string) => pos.find((p) => p.sku === s)!.id;
    const variants = await stack.db('variants').where({ product_id: idOf(sku.shirt) }).select('id', 'sku');
    await stack.db('product_links').insert([
      { connection_id: shop.connectionId, product_id: idOf(sku.b), variant_id: null, remote_id: b.productId },
      { connection_id: shop.connectionId, product_id: idOf(sku.shirt), variant_id: null, remote_id: shirt.productId },
      ...(['S', 'M'] as const).map((size, i) => ({
        connection_id: shop.connectionId, product_id: idOf(sku.shirt), variant_id: variants.find((v) => v.sku === `${sku.shirt}-${size}`)!.id,
        remote_id: shirt.variantIds[i], remote_parent_id: shirt.productId,
      })),
    ]);

    await ensureEcomOrderPoll(stack.client, stack.config.temporal.taskQueue, shop.connectionId, { everySeconds: 3600, publicUrl: stack.httpUrl });
    await waitFor('the first poll and the webhook', async () => ((await status()).polls >= 1 && shop.sandbox.state.webhooks.size > 0 ? true : undefined));
    token = (await stack.db('ecom_order_hooks').where({ connection_id: shop.connectionId }).first('token')).token;
    hookId = [...shop.sandbox.state.webhooks.keys()][0]!;
  });
  after(async () => {
    await stack?.client.workflow.getHandle(ecomOrderPollWorkflowId(shop.connectionId)).terminate('test done').catch(() => undefined);
    await shop?.close();
  });

  it('keeps one order webhook in the shop at the token address; the poll has the connection attribute and a details line', async () => {
    const hooks = [...shop.sandbox.state.webhooks.values()];
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0]!.itemGroup, 'orders');
    assert.equal(hooks[0]!.itemAction, '*');
    assert.equal(hooks[0]!.address, webhookUrl(token));
    const d = await poll().describe();
    assert.equal(d.status.name, 'RUNNING');
    assert.deepEqual(d.searchAttributes.PossyncConnection, [shop.connectionId]);
    assert.match(await currentDetails(poll()), /Next poll .* \(every 3600s\)\. Last poll .* 1 polls: /);
  });

  it('an order placed in the shop reduces POS stock at the register outlet only (webhook; lines by link and by SKU)', async () => {
    const order = shop.sandbox.placeOrder({ lines: [{ variantId: eco.a, quantity: 2 }, { variantId: eco.b, quantity: 1 }, { variantId: eco.m, quantity: 3 }] });
    await waitFor(`order ${order.id} applied`, async () => ((await stock()).get(`${sku.shirt}-M`) === 97 ? true : undefined));
    const s = await stock();
    assert.equal(s.get(sku.a), 98);
    assert.equal(s.get(sku.b), 99);
    assert.equal(s.get(`${sku.shirt}-S`), 100);
    assert.equal((await posStockBySku(stack, otherOutletId)).get(sku.a), 100, 'another outlet is not touched');
    assert.equal((await status()).polls, 1, 'the poll (every hour) did not run again: the webhook brought it');
    const row = await stack.db('remote_orders').where({ connection_id: shop.connectionId, remote_order_id: order.id }).first();
    assert.equal(row.outcome, 'imported');
    assert.equal(row.outlet_id, shop.outletId);
    assert.equal(await taken(order.id), 6);
  });

  it('an edited quantity applies its difference only; a cancel gives back what was deducted', async () => {
    const order = shop.sandbox.placeOrder({ lines: [{ variantId: eco.s, quantity: 3 }, { variantId: eco.a, quantity: 1 }] });
    await waitFor('placed', async () => ((await stock()).get(`${sku.shirt}-S`) === 97 ? true : undefined));
    const a = (await stock()).get(sku.a)!;
    shop.sandbox.editOrder(order.id, { [order.products[0]!.id]: 1 });
    await waitFor('edited: 2 units back', async () => ((await stock()).get(`${sku.shirt}-S`) === 99 ? true : undefined));
    assert.equal((await stock()).get(sku.a), a, 'the unchanged line moves nothing');
    await shop.client.orders.update(order.id, { status: 'cancelled' });
    await waitFor('cancelled: all back', async () => ((await stock()).get(`${sku.shirt}-S`) === 100 ? true : undefined));
    assert.equal((await stock()).get(sku.a), a + 1);
    assert.equal(await taken(order.id), 0);
    const row = await stack.db('remote_orders').where({ connection_id: shop.connectionId, remote_order_id: order.id }).first();
    assert.equal(row.status, 'cancelled');
    assert.deepEqual(row.applied, []);
  });

  it('a line no POS item matches is recorded and reported; the matched lines still deduct', async () => {
    const before = (await stock()).get(sku.a)!;
    const order = shop.sandbox.placeOrder({ lines: [{ variantId: eco.unknown, quantity: 1 }, { variantId: eco.a, quantity: 1 }] });
    const row = await waitFor('recorded', async () => stack.db('remote_orders').where({ connection_id: shop.connectionId, remote_order_id: order.id }).first());
    assert.equal(row.outcome, 'failed');
    assert.match(row.reason, new RegExp(`eCom variant ${eco.unknown}, SKU "ECOM-ONLY[^"]*"\\): no POS item is linked to it or has its SKU, so its 1 units were not deducted`));
    assert.equal((await stock()).get(sku.a), before - 1);
    const list = await shop.api.get(`/api/connections/${shop.connectionId}/orders?outcome=failed`);
    assert.equal(list.status, 200);
    const listed = list.data.orders.find((o: { order_id: number }) => o.order_id === order.id);
    assert.match(listed?.reason ?? '', /no POS item is linked to it/, 'listed among the failed orders with its reason');
  });

  it('bad webhook input gets a 4xx naming the problem and writes nothing; a missing or wrong token 401/403', async () => {
    const count = async () => [
      Number((await stack.db('remote_orders').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n),
      Number((await stack.db('stock_movements').where({ reference_type: 'ecom_order' }).count({ n: '*' }))[0]!.n),
    ];
    const before = await count();
    // A Buffer: axios would turn a string that is not JSON into a JSON string.
    const send = (url: string, body: string) => axios.post(url, Buffer.from(body), { headers: { 'content-type': 'application/json', 'x-group-id': 'orders' }, validateStatus: () => true });
    const order = JSON.stringify({ order: { id: 123 } });
    const cases: [string, string, number, string, RegExp][] = [
      [webhookUrl(null), order, 401, 'missing_token', /token query parameter is missing/],
      [webhookUrl('x'.repeat(32)), order, 403, 'bad_token', /does not match/],
      [webhookUrl(token, 'no-such-connection'), order, 403, 'bad_token', /does not match/],
      [webhookUrl(token), '{"order":', 400, 'invalid_json', /not valid JSON/],
      [webhookUrl(token), '{"orders":[]}', 400, 'invalid_order', /no "order" object/],
      [webhookUrl(token), '{"order":{"id":"abc"}}', 400, 'invalid_order', /order\.id is not a positive integer/],
      [webhookUrl(token), '{"order":{"id":-4}}', 400, 'invalid_order', /order\.id is not a positive integer/],
    ];
    for (const [url, body, code, error, message] of cases) {
      const res = await send(url, body);
      assert.equal(res.status, code, `${url} ${body}: ${JSON.stringify(res.data)}`);
      assert.equal(res.data.error, error);
      assert.match(res.data.message, message);
    }
    assert.deepEqual(await count(), before, 'nothing written');
  });

  it('the same order by webhook and poll at the same instant, and 5 identical webhooks at once, deduct once', async () => {
    await setHookActive(false);
    const orders = Array.from({ length: 10 }, (_, i) => shop.sandbox.placeOrder({ lines: [{ variantId: eco.s, quantity: 1 + (i % 2) }, { variantId: eco.a, quantity: 1 }] }));
    const expected = new Map(orders.map((o, i) => [o.id, 2 + (i % 2)]));
    const bodies = orders.map((o) => ({ id: o.id, body: JSON.stringify({ order: { id: o.id, status: o.status, updatedAt: o.updatedAt } }) }));
    const taskQueue = stack.config.temporal.taskQueue;
    const racePolls = [1, 2].map((k) => stack.client.workflow.start<typeof ecomOrderPoll>('ecomOrderPoll', {
      workflowId: `${ecomOrderPollWorkflowId(shop.connectionId)}/race-${k}`, taskQueue, args: [{ connectionId: shop.connectionId, everySeconds: 3600 }],
    }));
    const answers = await Promise.all(bodies.flatMap((b) => Array.from({ length: 5 }, () =>
      axios.post(webhookUrl(token), b.body, { headers: { 'content-type': 'application/json' }, validateStatus: () => true }).then((r) => ({ id: b.id, ...r })))));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    for (const o of orders) {
      const mine = answers.filter((a) => a.id === o.id);
      assert.equal(mine.filter((a) => a.data.duplicate === false).length, 1, `order ${o.id}: one delivery started, four recognised`);
    }
    const version = (body: string) => crypto.createHash('sha256').update(body).digest('hex').slice(0, 20);
    await Promise.all(bodies.map((b) => stack.client.workflow.getHandle<typeof ecomOrderSync>(ecomOrderSyncWorkflowId(shop.connectionId, b.id, version(b.body))).result()));
    for (const h of await Promise.all(racePolls)) {
      await waitFor('a race poll ran', async () => ((await h.query(orderPollStatusQuery)).polls >= 1 ? true : undefined));
      await h.terminate('test done');
    }
    const wrong = [];
    for (const [id, q] of expected) if ((await taken(id)) !== q) wrong.push(`${id}: ${await taken(id)} of ${q}`);
    assert.deepEqual(wrong, [], 'every order deducted exactly once');
  });

  it('with webhooks off the poll brings the order; a 503 or 429 is shown and tried again, the poll keeps running', async () => {
    await ensureEcomOrderPoll(stack.client, stack.config.temporal.taskQueue, shop.connectionId, { everySeconds: 1, publicUrl: stack.httpUrl });
    for (const fault of [503, 429]) {
      shop.sandbox.setFaults({ rules: [{ method: 'GET', path: /^\/orders$/, status: fault, ...(fault === 429 ? { retryAfterSeconds: 1 } : {}) }] });
      try {
        const down = await waitFor(`a poll refused with ${fault}`, async () => {
          const s = await status();
          return s.lastError?.includes(`HTTP ${fault}`) ? s : undefined;
        });
        assert.ok(down.failingSince);
        assert.match(await currentDetails(poll()), /could not be polled since/);
        assert.equal((await poll().describe()).status.name, 'RUNNING');
      } finally {
        shop.sandbox.resetFaults();
      }
    }
    const b = (await stock()).get(sku.b)!;
    const order = shop.sandbox.placeOrder({ lines: [{ variantId: eco.b, quantity: 4 }] });
    await waitFor(`order ${order.id} caught by the poll`, async () => ((await stock()).get(sku.b) === b - 4 ? true : undefined));
    await waitFor('the error cleared', async () => ((await status()).lastError === undefined ? true : undefined));
    assert.equal(shop.sandbox.webhookDeliveries().filter((d) => d.orderId === order.id).length, 0, 'no webhook was sent');
    assert.equal((await poll().describe()).status.name, 'RUNNING');
    await ensureEcomOrderPoll(stack.client, stack.config.temporal.taskQueue, shop.connectionId, { everySeconds: 3600, publicUrl: stack.httpUrl });
  });

  it('a worker killed in the middle of applying: every order deducted exactly once', async () => {
    const taskQueue = `ecom-kill-${process.pid}`;
    const start = () => startWorkerProcess(stack, {
      taskQueue, connectionId: shop.connectionId, woo: { url: 'http://127.0.0.1:9', key: 'ck_unused', secret: 'cs_unused' }, entry: 'test/helpers/ecom-worker-main.ts',
      env: { ECOM_TEST_CONNECTION: JSON.stringify(shop.connection) },
    });
    // The applies of the shirt's S wait on its stock row, held here, until the worker is gone (and those queued behind them).
    const orders = Array.from({ length: 16 }, (_, i) => shop.sandbox.placeOrder({ lines: [{ variantId: i % 2 ? eco.s : eco.a, quantity: 1 + (i % 3) }] }));
    const expected = new Map(orders.map((o, i) => [o.id, 1 + (i % 3)]));
    const shirtS = await stack.db('variants').where({ sku: `${sku.shirt}-S` }).first('id', 'product_id');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = stack.db.transaction(async (trx: Knex.Transaction) => {
      await trx('inventory').where({ outlet_id: shop.outletId, product_id: shirtS.product_id, variant_id: shirtS.id }).forUpdate();
      locked();
      await held;
    });
    await isLocked;
    let worker: WorkerProcess | undefined = await start();
    try {
      await worker.ready;
      const handles = await Promise.all(orders.flatMap((o) => [1, 2, 3].map((k) => stack.client.workflow.start<typeof ecomOrderSync>('ecomOrderSync', {
        workflowId: `${ecomOrderSyncWorkflowId(shop.connectionId, o.id, 'kill')}/${k}`, taskQueue, args: [{ connectionId: shop.connectionId, orderId: o.id }],
      }))));
      // Which A applies finish first depends on how the concurrent applies queue on their locks: the kill comes
      // once applies wait inside their transactions, whatever has been applied by then.
      await waitFor('applies waiting inside their transaction', async () => {
        const waiting = Number((await stack.db.raw(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted`)).rows[0].n);
        return waiting > 0 ? true : undefined;
      });
      worker.child.kill('SIGKILL');
      await new Promise((r) => worker!.child.once('exit', r));
      release();
      await holder;
      worker = await start();
      await Promise.all(handles.map((h) => h.result()));
    } finally {
      release();
      worker?.child.kill('SIGKILL');
    }
    const wrong = [];
    for (const [id, q] of expected) if ((await taken(id)) !== q) wrong.push(`${id}: ${await taken(id)} of ${q}`);
    assert.deepEqual(wrong, [], 'every order deducted exactly once');
  });
});
