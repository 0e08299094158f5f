import assert from 'node:assert/strict';
import { batchPushStatusQuery, batchPushWorkflowId } from '../workflows/contracts/batch-push';
import { simpleProduct, uniqueSku, waitFor, type TestShop } from './helpers/shop';
import { possync } from './helpers/processes';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Issue 7 points 5 and 12: long-lived push workflows never die of a shop; refused credentials
 * block the connection visibly until they work again; every failing push is visible with its
 * attempts, and `possync retry` pushes again at once.
 */
describe('push durability: blocked connections, outages, visible failures (issue 7 points 5, 12)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: TestShop | undefined;

  /** A product created and linked in a fresh shop, with stock 20 there. */
  async function linkedProduct(prefix: string) {
    shop = await shops.fresh();
    const sku = uniqueSku(prefix);
    const res = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(res.status, 201, JSON.stringify(res.data));
    const count = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 20 }] });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    await waitFor('the product in the shop with stock 20', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 20);
    // Settled: linked, and no push pending, so the next sale goes to the batched push (not coalesced into the saga's round).
    await waitFor('no push pending', async () =>
      (await stack.db('products').where({ id: res.data.id }).first('push_pending')).push_pending === false &&
      (await stack.db('push_outbox').where({ product_id: res.data.id })).length === 0 &&
      (await stack.db('product_links').where({ product_id: res.data.id, connection_id: shop!.connectionId })).length > 0);
    return { sku, productId: res.data.id as number, remoteId: shop.sandbox.state.findBySku(sku)!.id as number };
  }

  const sell = async (sku: string, quantity: number) => {
    const res = await shop!.api.post('/api/sales', { register_id: shop!.registerId, lines: [{ sku, quantity }] });
    assert.equal(res.status, 201, JSON.stringify(res.data));
  };
  const failuresApi = async (productId?: number) => (await shop!.api.get('/api/sync-failures', { params: productId ? { product_id: productId } : {} })).data;
  // Other tests of the shared stack may leave their own connections blocked: look at this test's only.
  const blockOf = async (connectionId: string): Promise<{ connection_id: string; blocked_at: string } | undefined> =>
    (await failuresApi()).blocked_connections.find((b: { connection_id: string }) => b.connection_id === connectionId);
  const batchHandle = () => stack.client.workflow.getHandle(batchPushWorkflowId(shop!.connectionId));
  const rotateKeys = (secret: string) =>
    stack.woo.set(shop!.connectionId, { baseUrl: shop!.sandbox.url, consumerKey: shop!.sandbox.consumerKey, consumerSecret: secret });

  it('a 401 on the batched push blocks the connection (search attribute, status, failures); fixed keys resume it and the stock converges; the workflow never fails', async () => {
    const { sku, productId, remoteId } = await linkedProduct('BLK');
    // The keys are rotated in the shop: ours are now refused.
    rotateKeys('cs_rotatedrotatedrotatedrotated');
    await sell(sku, 3);

    const blocked = await waitFor('the connection blocked', async () => (await failuresApi()).blocked_connections.find((b: { connection_id: string }) => b.connection_id === shop!.connectionId));
    assert.match(blocked.reason, /refuses the credentials/);
    await waitFor('the blocked search attribute', async () => (await batchHandle().describe()).searchAttributes.PossyncConnectionState?.[0] === 'blocked');
    assert.equal((await batchHandle().query(batchPushStatusQuery)).phase, 'blocked');
    const failing = (await failuresApi(productId)).failing;
    assert.equal(failing.length, 1, JSON.stringify(failing));
    assert.equal(failing[0].will_retry, true);
    assert.equal(failing[0].connection_blocked, true);
    assert.ok(failing[0].since && failing[0].attempts >= 1 && /refuses the credentials/.test(failing[0].last_error));

    const status = await possync(stack, ['status', sku]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /PUSH FAILING/);
    assert.match(status.stdout, new RegExp(`${shop!.connectionId} BLOCKED`));
    assert.match(status.stdout, /batch-push\/.* RUNNING \(blocked\)/);
    const failures = await possync(stack, ['failures']);
    assert.match(failures.stdout, new RegExp(`${sku} \\(product ${productId}\\) on ${shop!.connectionId}`));
    assert.doesNotMatch(failures.stdout, /no sync failures/);

    // More sales while blocked wait in the queue; nothing is lost.
    await sell(sku, 2);
    assert.equal(shop!.sandbox.state.stockOf(remoteId), 20, 'nothing reached the shop with refused keys');

    rotateKeys(shop!.sandbox.consumerSecret);
    // The workflow probes on its own: no command needed.
    await waitFor('the stock in the shop after the keys were fixed', () => shop!.sandbox.state.stockOf(remoteId) === 15);
    await waitFor('the block lifted', async () => !(await blockOf(shop!.connectionId)));
    await waitFor('the failure cleared', async () => (await failuresApi(productId)).failing.length === 0);
    await waitFor('the ok search attribute', async () => (await batchHandle().describe()).searchAttributes.PossyncConnectionState?.[0] === 'ok');
    const d = await batchHandle().describe();
    assert.equal(d.status.name, 'RUNNING', 'batch-push never failed');
  });

  it('`possync connections unblock` resumes a blocked connection at once, and blocks it again while the keys are still refused', async () => {
    const { sku, remoteId } = await linkedProduct('UNB');
    rotateKeys('cs_rotatedrotatedrotatedrotated');
    await sell(sku, 4);
    const first = await waitFor('the connection blocked', () => blockOf(shop!.connectionId));

    // Unblocked while the keys are still refused: the next push proves them wrong, and it blocks again.
    const again = await possync(stack, ['connections', 'unblock', shop!.connectionId]);
    assert.equal(again.code, 0, again.stderr);
    await waitFor('blocked again', async () => {
      const b = await blockOf(shop!.connectionId);
      return b && new Date(b.blocked_at).getTime() > new Date(first.blocked_at).getTime();
    });
    assert.equal(shop!.sandbox.state.stockOf(remoteId), 20);

    rotateKeys(shop!.sandbox.consumerSecret);
    const res = await possync(stack, ['connections', 'unblock', shop!.connectionId]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /unblock of .* requested/);
    await waitFor('the stock in the shop', () => shop!.sandbox.state.stockOf(remoteId) === 16);
    assert.equal(await blockOf(shop!.connectionId), undefined);

    const unknown = await possync(stack, ['connections', 'unblock', 'no-such-connection']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no connection "no-such-connection"/);
  });

  it('a store outage fails no workflow: each failing push is visible with its attempts, and the stock converges after; `possync retry --all` pushes at once', async () => {
    const { sku, productId, remoteId } = await linkedProduct('OUT');
    const edited = uniqueSku('OUTE');
    // Every request answers 503: the shop is down.
    shop!.sandbox.setFaults({ serverErrorRate: 1 });
    await sell(sku, 5);
    const other = await shop!.api.post('/api/products', simpleProduct(edited));
    assert.equal(other.status, 201);
    await shop!.api.post('/api/products', { ...simpleProduct(sku), name: 'Renamed during the outage' });

    const failing = await waitFor('the failing push with several attempts', async () => {
      const f = (await failuresApi(productId)).failing;
      return f.length === 1 && f[0].attempts >= 3 ? f[0] : undefined;
    });
    assert.equal(failing.will_retry, true);
    assert.match(failing.last_error, /503|50[02]|Service Unavailable|Bad Gateway|critical error/);
    const listed = await possync(stack, ['failures']);
    assert.match(listed.stdout, new RegExp(`${sku} .* failing since .*, \\d+ attempt\\(s\\), retrying`));
    assert.match(listed.stdout, /last error: /);

    shop!.sandbox.resetFaults();
    const retried = await possync(stack, ['retry', '--all']);
    assert.equal(retried.code, 0, retried.stderr);
    await waitFor('the stock and the new name in the shop', () => {
      const p = shop!.sandbox.state.findBySku(sku);
      return p?.stock_quantity === 15 && p.name === 'Renamed during the outage';
    });
    await waitFor('the product created during the outage', () => shop!.sandbox.state.findBySku(edited));
    // The saga waited for the shop instead of undoing its steps.
    assert.equal((await stack.db('sync_log').where({ product_id: other.data.id, status: 'compensated' })).length, 0, 'no compensation');
    // Other tests' connections may keep failures of their own: only this shop's count here.
    await waitFor('no failing push left', async () =>
      (await failuresApi()).failing.filter((f: { connection_id: string }) => f.connection_id === shop!.connectionId).length === 0);
    assert.equal(shop!.sandbox.state.stockOf(remoteId), 15);
    const failed: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: 'ExecutionStatus = "Failed"' })) {
      if (wf.workflowId.includes(shop!.connectionId) || /^product-push\//.test(wf.workflowId)) failed.push(wf.workflowId);
    }
    assert.deepEqual(failed, [], 'no push workflow failed');
  });

  it('a whole batch refused with a 400 is recorded per product, not retried, and the workflow carries on with the next sale', async () => {
    const { sku, productId, remoteId } = await linkedProduct('B400');
    shop!.sandbox.setFaults({ rules: [{ method: 'POST', path: '/products/batch', status: 400, times: 1 }] });
    await sell(sku, 1);
    const failing = await waitFor('the refusal recorded', async () => (await failuresApi(productId)).failing[0]);
    assert.equal(failing.will_retry, false);
    assert.match(failing.last_error, /400|rest_invalid_param/);
    const logged = await stack.db('sync_log').where({ product_id: productId, status: 'failed' }).first();
    assert.ok(logged, 'the refusal is in the sync log');
    assert.equal(shop!.sandbox.state.stockOf(remoteId), 20);

    await sell(sku, 2);
    await waitFor('the next sale in the shop', () => shop!.sandbox.state.stockOf(remoteId) === 17);
    await waitFor('the failure cleared by the push that worked', async () => (await failuresApi(productId)).failing.length === 0);
    assert.notEqual((await batchHandle().describe()).status.name, 'FAILED');
  });
});
