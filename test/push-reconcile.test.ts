import assert from 'node:assert/strict';
import { RECONCILE_SCHEDULE_ID, type ReconcileSummary } from '../workflows/contracts/reconcile';
import { simpleProduct, uniqueSku, waitFor, type TestShop } from './helpers/shop';
import { possync } from './helpers/processes';
import { ensureReconcileSchedule } from '../stack/reconcile-schedule';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** Issue 7 point 2: no change can be stranded with its push pending. */
describe('reconciliation of stranded pushes (issue 7 point 2)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: TestShop | undefined;

  it('clears the pending mark of a stock movement no connection takes, so switching the product online pushes it at once', async () => {
    shop = await shops.fresh();
    const sku = uniqueSku('INS');
    const saved = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store'] }));
    assert.equal(saved.status, 201);
    const productId: number = saved.data.id;
    const count = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 6 }] });
    assert.equal(count.status, 201);
    await waitFor('the pending mark settled', async () =>
      (await stack.db('push_outbox').where({ product_id: productId })).length === 0 &&
      (await stack.db('products').where({ id: productId }).first('push_pending')).push_pending === false);
    const online = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store', 'online'] }));
    assert.equal(online.status, 200, JSON.stringify(online.data));
    await waitFor('the product in the shop with its stock', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 6);
    const runs = await stack.db('push_reconciliations').whereRaw('? = ANY(product_ids)', [productId]);
    assert.equal(runs.length, 0, 'pushed without the reconciliation');
  });

  it('re-queues a product whose push is pending with nothing queued, once its mark is old, and reports it', async () => {
    shop = await shops.fresh();
    const sku = uniqueSku('STR');
    const saved = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store'] }));
    assert.equal(saved.status, 201);
    const productId: number = saved.data.id;
    const count = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 9 }] });
    assert.equal(count.status, 201);
    await waitFor('the movement routed', async () => (await stack.db('push_outbox').where({ product_id: productId })).length === 0);
    // As a push run that died before its claim leaves it: a change committed (the product now
    // sold online), its pending mark set, its outbox row consumed.
    await stack.db('products').where({ id: productId }).update({ push_pending: true, channels: ['in_store', 'online'] });
    const stuck = await stack.db('products').where({ id: productId }).first('push_pending', 'push_pending_since');
    assert.equal(stuck.push_pending, true, 'the pending mark is set');
    assert.ok(stuck.push_pending_since instanceof Date, 'its age is known');
    assert.equal((await stack.db('push_outbox').where({ product_id: productId })).length, 0, 'nothing queued: stranded');

    // Minutes pass (the threshold is PUSH_STRANDED_AFTER_SECONDS); then the scheduled run.
    await stack.db('products').where({ id: productId }).update({ push_pending_since: stack.db.raw("now() - interval '10 minutes'") });
    const schedule = stack.client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
    await schedule.trigger();
    const run = await waitFor('a reconciliation that found the product', async () =>
      stack.db('push_reconciliations').whereRaw('? = ANY(product_ids)', [productId]).first());
    assert.ok(run.stranded >= 1);
    await waitFor('the product in the shop with its stock', () => shop!.sandbox.state.findBySku(sku)?.stock_quantity === 9);

    // Reported: the run's result, the failures view, and `possync status`.
    const recent = (await schedule.describe()).info.recentActions;
    const summaries = await Promise.all(recent.map((a) => stack.client.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId).result() as Promise<ReconcileSummary>));
    assert.ok(summaries.some((s) => s.productIds.includes(productId)), 'the run names the product it re-queued');
    const view = (await shop.api.get('/api/sync-failures')).data;
    assert.ok(view.reconciliation.found_last_day >= 1);
    const status = await possync(stack, ['status', sku]);
    assert.match(status.stdout, /reconciliation: last run .* re-queued \d+ stranded push\(es\); [1-9]\d* in the last day/);
  });

  it('leaves a product alone whose push is pending but queued, or recently marked', async () => {
    shop = await shops.fresh();
    const sku = uniqueSku('FRESH');
    const saved = await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store'] }));
    const productId: number = saved.data.id;
    await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 3 }] });
    await waitFor('the movement routed', async () => (await stack.db('push_outbox').where({ product_id: productId })).length === 0);
    const before = Number((await stack.db('push_reconciliations').max('id as id').first())?.id ?? 0);
    await stack.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).trigger();
    const runs = await waitFor('a reconciliation run after the trigger', async () => {
      const rows = await stack.db('push_reconciliations').where('id', '>', before);
      return rows.length > 0 ? rows : undefined;
    });
    assert.ok(runs.every((r: { product_ids: number[] }) => !r.product_ids.includes(productId)), 'a fresh pending mark is not stranded');
  });

  it('updates the existing schedule when its settings change', async () => {
    await ensureReconcileSchedule(stack.client, stack.config.temporal.taskQueue, 45, 200);
    const d = await stack.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).describe();
    assert.equal(d.spec.intervals![0]!.every, 45_000);
    assert.deepEqual((d.action as { args: unknown[] }).args, [{ strandedAfterMs: 200_000 }]);
    await ensureReconcileSchedule(stack.client, stack.config.temporal.taskQueue, stack.config.reconcileSeconds, stack.config.pushStrandedAfterSeconds);
  });
});
