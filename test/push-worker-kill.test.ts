import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { batchPushWorkflowId, productsQueuedSignal } from '../workflows/contracts/batch-push';
import type { batchPush } from '../workflows/batch-push';
import type { productPush } from '../workflows/product-push';
import { productChangedSignal, productPushWorkflowId } from '../workflows/contracts/product-push';
import { freshShop, simpleProduct, uniqueSku, waitFor, type TestShop } from './helpers/shop';
import { startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Why the completed attempt of `activityType` was needed, from the workflow history: the started
 * event of a retry carries the previous attempt's failure. Undefined while no retry has completed.
 */
async function retryCause(handle: WorkflowHandle, activityType: string): Promise<string | undefined> {
  const scheduled = new Set<string>();
  for (const e of (await handle.fetchHistory()).events ?? []) {
    if (e.activityTaskScheduledEventAttributes?.activityType?.name === activityType) scheduled.add(String(e.eventId));
    const started = e.activityTaskStartedEventAttributes;
    if (!started || !scheduled.has(String(started.scheduledEventId)) || Number(started.attempt) < 2) continue;
    const timeout = started.lastFailure?.timeoutFailureInfo?.timeoutType;
    if (timeout === undefined || timeout === null) return started.lastFailure?.message ?? 'unknown';
    return String(timeout) === 'TIMEOUT_TYPE_HEARTBEAT' || Number(timeout) === 4 ? 'heartbeat' : `timeout ${String(timeout)}`;
  }
  return undefined;
}

/**
 * Issue 7 point 9: the batched push heartbeats while it works, under a heartbeat timeout of
 * seconds, so a worker killed mid-push delays it by seconds, not by the start-to-close timeout.
 */
describe('a worker killed in the middle of a push (issue 7 point 9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: TestShop | undefined;
  const workers: WorkerProcess[] = [];

  after(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    shop?.sandbox.resetFaults();
    await shop?.sandbox.close();
  });

  const notRunning = (what: string, workflowId: string) =>
    waitFor(what, async () => {
      try {
        return (await stack.client.workflow.getHandle(workflowId).describe()).status.name !== 'RUNNING';
      } catch {
        return true;
      }
    });
  /** A worker process for the shop's connection on `taskQueue`, polling once this resolves. */
  const workerProcess = async (taskQueue: string): Promise<WorkerProcess> => {
    const woo = { url: shop!.sandbox.url, key: shop!.sandbox.consumerKey, secret: shop!.sandbox.consumerSecret };
    const worker = await startWorkerProcess(stack, { taskQueue, connectionId: shop!.connectionId, woo });
    workers.push(worker);
    await worker.ready;
    return worker;
  };

  it('completes the push soon after a new worker starts', async () => {
    shop = await freshShop(stack);
    const sku = uniqueSku('KILL');
    const res = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(res.status, 201);
    await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 30 }] });
    await waitFor('the product in the shop with stock 30', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 30);
    const remoteId: number = shop.sandbox.state.findBySku(sku)!.id;

    // The batched push the stock count started (on the stack's own worker) ends when idle.
    await notRunning('no batched push running', batchPushWorkflowId(shop!.connectionId));
    // The connection's batched push runs on a task queue only the worker processes poll.
    const taskQueue = `kill-${process.pid}-${Date.now()}`;
    const first = await workerProcess(taskQueue);
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
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    shop.sandbox.resetFaults();

    const second = await workerProcess(taskQueue);
    const startedAt = Date.now();
    await waitFor('the sale in the shop', () => shop!.sandbox.state.stockOf(remoteId) === 26);
    console.log(`      push completed ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the new worker started`);
    // The dead worker's attempt ended by its heartbeat timeout (seconds), not by the 5-minute start-to-close timeout.
    assert.equal(await waitFor('the retried push in the history', () => retryCause(handle, 'pushQueuedProducts')), 'heartbeat');
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
    await notRunning('no product push running', workflowId);

    const taskQueue = `killc-${process.pid}-${Date.now()}`;
    const first = await workerProcess(taskQueue);
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
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    shop.sandbox.resetFaults();

    const second = await workerProcess(taskQueue);
    const startedAt = Date.now();
    await waitFor('the product created and linked', async () =>
      shop!.sandbox.state.findBySku(sku) && (await stack.db('product_links').where({ product_id: productId, connection_id: shop!.connectionId }).first()));
    console.log(`      creation completed ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the new worker started`);
    // Ended by its heartbeat timeout (seconds), not by its start-to-close timeout (minutes).
    // The attempt before the one that created it ended in seconds: by its heartbeat timeout, or (when the hung request
    // of an earlier attempt outlived the kill's detection on a busy machine) by the client's own 30 s timeout; never by
    // the step's start-to-close timeout (minutes).
    const cause = await waitFor('the retried create in the history', () => retryCause(handle, 'createRemoteParent'));
    assert.ok(cause === 'heartbeat' || /no response, timeout/.test(cause), cause);
    assert.equal(shop.sandbox.state.products().filter((p: { sku: string }) => p.sku === sku).length, 1, 'created once');
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'the workflow lives on');
    second.child.kill('SIGTERM');
    await handle.terminate('test over');
  });
});
