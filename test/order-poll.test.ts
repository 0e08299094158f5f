import assert from 'node:assert/strict';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { freshShop, waitFor, type TestShop } from './helpers/shop';
import { currentDetails } from './helpers/workflow-details';
import { mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { ensureOrderPoll } from '../stack/order-sync-starter';
import {
  orderPollScheduleId, orderPollStatusQuery, orderPollWorkflowId, orderSyncWorkflowId, type OrderPollStatus,
} from '../workflows/contracts/order-sync';
import type { orderPoll, orderSync } from '../workflows/order-maintenance';
import { useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Issue 8 point 7: the order poll is one long-lived workflow per connection, not a run per
 * minute: it replaces the Schedule of earlier versions, takes a new interval at the next start,
 * carries its cursor over continue-as-new and survives a shop that is down.
 */
describe('the long-lived order poll (issue 8 point 7)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: TestShop;
  let skus: string[];

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    shop = await freshShop(stack);
    skus = await mirroredCatalog(stack, shop, `POLL${Date.now() % 100000}`);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 5_000));
  });
  after(async () => {
    await stack?.client.workflow.getHandle(orderPollWorkflowId(shop.connectionId)).terminate('test done').catch(() => undefined);
    shop?.sandbox.resetFaults();
    await shop?.sandbox.close();
  });

  const handle = () => stack.client.workflow.getHandle(orderPollWorkflowId(shop.connectionId));
  const status = (): Promise<OrderPollStatus> => handle().query(orderPollStatusQuery);
  const details = (): Promise<string> => currentDetails(handle());
  const stockOf = async (sku: string) => (await posStockBySku(stack, shop.outletId)).get(sku);

  it('removes the schedule of earlier versions and starts one workflow with the connection attribute', async () => {
    const taskQueue = stack.config.temporal.taskQueue;
    await stack.client.schedule.create<typeof orderPoll>({
      scheduleId: orderPollScheduleId(shop.connectionId),
      spec: { intervals: [{ every: '60s' }] },
      action: { type: 'startWorkflow', workflowType: 'orderPoll', taskQueue, args: [{ connectionId: shop.connectionId }], workflowId: `order-poll/${shop.connectionId}` },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      state: { paused: true },
    });
    const r = await ensureOrderPoll(stack.client, taskQueue, shop.connectionId, 3600);
    assert.equal(r.removedSchedule, true);
    await assert.rejects(stack.client.schedule.getHandle(orderPollScheduleId(shop.connectionId)).describe(), ScheduleNotFoundError);
    const again = await ensureOrderPoll(stack.client, taskQueue, shop.connectionId, 3600);
    assert.equal(again.removedSchedule, false, 'a second start finds no schedule');
    const first = await waitFor('the first poll', async () => ((await status()).polls >= 1 ? status() : undefined));
    assert.equal(first.everySeconds, 3600);
    const d = await handle().describe();
    assert.equal(d.status.name, 'RUNNING');
    assert.deepEqual(d.searchAttributes.PossyncConnection, [shop.connectionId]);
    assert.match(await details(), /Next poll .* \(every 3600s\)/);
  });

  it('takes a new interval at the next start: a lost webhook is caught within it', async () => {
    shop.sandbox.setWebhookFaults({ lossRate: 1 });
    const order = shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [{ sku: skus[0]!, quantity: 2 }] });
    await shop.sandbox.flushWebhooks();
    const { runId } = await handle().describe();
    await ensureOrderPoll(stack.client, stack.config.temporal.taskQueue, shop.connectionId, 1);
    assert.equal((await handle().describe()).runId, runId, 'the running workflow got the interval; none was started');
    await waitFor(`order ${order.id} caught by the poll`, async () => (await stockOf(skus[0]!)) === 98);
    assert.equal((await status()).everySeconds, 1);
    shop.sandbox.setWebhookFaults({ lossRate: 0 });
  });

  it('a shop that is down is shown in its details and tried again; the workflow keeps running', async () => {
    shop.sandbox.setFaults({ rules: [{ method: 'GET', path: '/orders', status: 503 }] });
    try {
      const down = await waitFor('a failed poll', async () => ((await status()).lastError ? status() : undefined));
      assert.ok(down.failingSince);
      assert.match(await details(), /could not be polled since/);
      assert.equal((await handle().describe()).status.name, 'RUNNING');
    } finally {
      shop.sandbox.resetFaults();
    }
    const order = shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [{ sku: skus[1]!, quantity: 3 }] });
    await waitFor(`order ${order.id} caught once the shop is back`, async () => (await stockOf(skus[1]!)) === 97);
    await waitFor('the error cleared', async () => ((await status()).lastError === undefined ? true : undefined));
    assert.equal((await handle().describe()).status.name, 'RUNNING');
  });

  it('racing webhook syncs of the same orders, the poll applies each order once (per-order locks)', async () => {
    const before = await posStockBySku(stack, shop.outletId);
    const lines = Array.from({ length: 20 }, (_, i) => ({ sku: skus[2 + (i % 4)]!, quantity: 1 + (i % 3) }));
    const orders = lines.map((l) => shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [l] }));
    const syncs = await Promise.all(orders.flatMap((o) => [1, 2].map((k) => stack.client.workflow.start<typeof orderSync>('orderSync', {
      workflowId: `${orderSyncWorkflowId(shop.connectionId, o.id, 'race')}/${k}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, orderId: o.id }],
    }))));
    const polled = (await status()).polls;
    await Promise.all(syncs.map((h) => h.result()));
    await waitFor('two more polls', async () => ((await status()).polls >= polled + 2 ? true : undefined));
    const after = await posStockBySku(stack, shop.outletId);
    for (const sku of new Set(lines.map((l) => l.sku))) {
      const sold = lines.filter((l) => l.sku === sku).reduce((n, l) => n + l.quantity, 0);
      assert.equal(after.get(sku), before.get(sku)! - sold, `${sku} deducted once per order`);
    }
  });

  it('continues as new before its history grows, carrying its cursor and totals', async () => {
    const taskQueue = stack.config.temporal.taskQueue;
    const id = `${orderPollWorkflowId(shop.connectionId)}/can`;
    const h = await stack.client.workflow.start<typeof orderPoll>('orderPoll', {
      workflowId: id, taskQueue, args: [{ connectionId: shop.connectionId, everySeconds: 1, pollsPerRun: 2 }],
    });
    const later = await waitFor('a third run', async () => {
      const d = await stack.client.workflow.getHandle(id).describe();
      return d.runId !== h.firstExecutionRunId && (await stack.client.workflow.getHandle(id).query(orderPollStatusQuery)).polls >= 5
        ? stack.client.workflow.getHandle(id).query(orderPollStatusQuery) : undefined;
    });
    assert.ok(later.cursor, 'the cursor came along');
    assert.ok(later.polls >= 5, 'the totals came along');
    const runs = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "${id}"` })) runs.push(wf.status.name);
    assert.ok(runs.filter((s) => s === 'CONTINUED_AS_NEW').length >= 2, `runs: ${runs.join(', ')}`);
    await stack.client.workflow.getHandle(id).terminate('test done');
  });
});
