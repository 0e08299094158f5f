import assert from 'node:assert/strict';
import type { Stack } from '../stack/start';
import { batchPushWorkflowId, productsQueuedSignal } from '../workflows/contracts/batch-push';
import type { batchPush } from '../workflows/batch-push';
import type { productPush } from '../workflows/product-push';
import { productChangedSignal, productPushWorkflowId } from '../workflows/contracts/product-push';
import { freshShop, simpleProduct, uniqueSku, waitFor, type TestShop } from './helpers/shop';
import { testStack } from './helpers/test-stack';
import { startWorkerProcess, type WorkerProcess } from './helpers/processes';

/**
 * Issue 7 point 9: the batched push heartbeats while it works, under a heartbeat timeout of
 * seconds, so a worker killed mid-push delays it by seconds, not by the start-to-close timeout.
 */
describe('a worker killed in the middle of a push (issue 7 point 9)', function () {
  this.timeout(300_000);
  let stack: Stack;
  let shop: TestShop | undefined;
  const workers: WorkerProcess[] = [];

  before(async function () {
    this.timeout(180_000);
    stack = await testStack();
  });
  after(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    shop?.sandbox.resetFaults();
    await shop?.sandbox.close();
  });

  it('completes the push soon after a new worker starts', async () => {
    shop = await freshShop(stack);
    const sku = uniqueSku('KILL');
    const res = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(res.status, 201);
    await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 30 }] });
    await waitFor('the product in the shop with stock 30', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 30, 60_000);
    const remoteId: number = shop.sandbox.state.findBySku(sku)!.id;

    // The batched push the stock count started (on the stack's own worker) ends when idle.
    await waitFor('no batched push running', async () => {
      try {
        return (await stack.client.workflow.getHandle(batchPushWorkflowId(shop!.connectionId)).describe()).status.name !== 'RUNNING';
      } catch {
        return true;
      }
    }, 60_000);
    // The connection's batched push runs on a task queue only the worker processes poll.
    const taskQueue = `kill-${process.pid}-${Date.now()}`;
    const woo = { url: shop.sandbox.url, key: shop.sandbox.consumerKey, secret: shop.sandbox.consumerSecret };
    const first = await startWorkerProcess(stack, { taskQueue, connectionId: shop.connectionId, woo });
    workers.push(first);
    await first.ready;
    const handle = await stack.client.workflow.signalWithStart<typeof batchPush, []>('batchPush', {
      workflowId: batchPushWorkflowId(shop.connectionId), taskQueue,
      args: [{ connectionId: shop.connectionId, settleMs: 100, quietWindowMs: 300, idleTimeoutMs: 600_000 }],
      signal: productsQueuedSignal,
    });

    // The shop holds every request: the push is in flight when the worker dies.
    const requestsBefore = shop.sandbox.stats().requests;
    shop.sandbox.setFaults({ hangRate: 1 });
    const sale = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 4 }] });
    assert.equal(sale.status, 201);
    await waitFor('the batch request in flight', async () => {
      const d = await handle.describe();
      const started = d.raw.pendingActivities?.some((a) => a.activityType?.name === 'pushQueuedProducts' && String(a.state) !== 'PENDING_ACTIVITY_STATE_SCHEDULED' && Number(a.state) !== 1);
      // Its first request (the trash check, then the batch) is held by the shop.
      return started && shop!.sandbox.stats().requests > requestsBefore;
    }, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    shop.sandbox.resetFaults();

    const second = await startWorkerProcess(stack, { taskQueue, connectionId: shop.connectionId, woo });
    workers.push(second);
    await second.ready;
    const startedAt = Date.now();
    // Generous for a loaded machine, yet below what a dead worker cost before (the 1-minute heartbeat timeout, or 5 minutes start-to-close).
    await waitFor('the sale in the shop', () => shop!.sandbox.state.stockOf(remoteId) === 26, 45_000);
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(`      push completed ${seconds.toFixed(1)} s after the new worker started`);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'the workflow lives on');
    second.child.kill('SIGTERM');
    await handle.terminate('test over');
  });

  it('completes a product creation (saga step) soon after a new worker starts', async () => {
    shop?.sandbox.resetFaults();
    await shop?.sandbox.close();
    shop = await freshShop(stack);
    const sku = uniqueSku('KILLC');
    const res = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store'] }));
    assert.equal(res.status, 201);
    const productId: number = res.data.id;
    const workflowId = productPushWorkflowId(productId);
    await waitFor('no product push running', async () => {
      try {
        return (await stack.client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING';
      } catch {
        return true;
      }
    }, 60_000);

    const taskQueue = `killc-${process.pid}-${Date.now()}`;
    const woo = { url: shop.sandbox.url, key: shop.sandbox.consumerKey, secret: shop.sandbox.consumerSecret };
    const first = await startWorkerProcess(stack, { taskQueue, connectionId: shop.connectionId, woo });
    workers.push(first);
    await first.ready;
    const handle = await stack.client.workflow.signalWithStart<typeof productPush, [{ reason: string }]>('productPush', {
      workflowId, taskQueue, args: [{ productId, settleMs: 100, quietWindowMs: 300, idleTimeoutMs: 600_000 }],
      signal: productChangedSignal, signalArgs: [{ reason: 'test' }],
    });
    shop.sandbox.setFaults({ hangRate: 1 });
    // Sold online from now on: the saga creates it in the shop, and the shop holds the request.
    const online = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store', 'online'] }));
    assert.equal(online.status, 200);
    await waitFor('the create step in flight', async () => {
      const d = await handle.describe();
      return d.raw.pendingActivities?.some((a) => a.activityType?.name === 'createRemoteParent') && shop!.sandbox.stats().requests >= 1;
    }, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    shop.sandbox.resetFaults();

    const second = await startWorkerProcess(stack, { taskQueue, connectionId: shop.connectionId, woo });
    workers.push(second);
    await second.ready;
    const startedAt = Date.now();
    // Generous for a loaded machine, yet below what a dead worker cost before (the 2-minute start-to-close timeout).
    await waitFor('the product created and linked', async () =>
      shop!.sandbox.state.findBySku(sku) && (await stack.db('product_links').where({ product_id: productId, connection_id: shop!.connectionId }).first()), 60_000);
    console.log(`      creation completed ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the new worker started`);
    assert.equal(shop.sandbox.state.products().filter((p: { sku: string }) => p.sku === sku).length, 1, 'created once');
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'the workflow lives on');
    second.child.kill('SIGTERM');
    await handle.terminate('test over');
  });
});
