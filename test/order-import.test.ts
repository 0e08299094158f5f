import assert from 'node:assert/strict';
import { freshShop, waitFor } from './helpers/shop';
import { expectedDeductions, mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { importProgressQuery, orderImportWorkflowId, pauseImportSignal, resumeImportSignal, type ImportProgress } from '../workflows/contracts/order-import';
import type { orderImport } from '../workflows/order-import';
import type { reimportOrders, restoreBackup } from '../workflows/order-maintenance';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** M-B2..M-B9: the order history import. */
describe('order history import (M-B2..M-B9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  let skus: string[];
  const start = new Date(Date.now() - 60_000);
  const prefix = `IMP${Date.now() % 100000}`;
  let expected: ReturnType<typeof expectedDeductions>;
  let result: ImportProgress;
  let liveOrderId: number;

  const importOnce = (id: string, dryRun = false) =>
    stack.client.workflow.execute<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(shop.connectionId)}/${id}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, dryRun }],
    });

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    skus = await mirroredCatalog(stack, shop, prefix);
    await setStartDate(stack, shop.connectionId, start);
    shop.sandbox.seedOrders({
      count: 240, createdBefore: new Date(start.getTime() - 3_600_000), seed: 7, deletedProductRate: 0.05,
      missingSkus: [{ sku: `${prefix}-NEW`, name: 'Only in the shop', price: '7.50' }],
    });
    // An order placed after the connection: live sync's business, not the import's (M-B2).
    liveOrderId = shop.sandbox.state.createOrder({ status: 'processing', set_paid: true, line_items: [{ sku: skus[0], quantity: 5 }] }).id;
    expected = expectedDeductions(shop.sandbox.state.orders(), { before: start });
    assert.ok(expected.failing.length > 0 && expected.counted.length > 100, 'the seeded history has good and failing orders');
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const before = await posStockBySku(stack, shop.outletId);
    const dry = await importOnce('dry', true);
    assert.equal(dry.dryRun, true);
    assert.equal(dry.failed, expected.failing.length);
    assert.ok(dry.imported >= expected.counted.length);
    assert.ok(dry.created >= 1, 'it reports the product it would create');
    assert.deepEqual(await posStockBySku(stack, shop.outletId), before);
    assert.equal(Number((await stack.db('remote_orders').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n), 0);
    assert.equal(await stack.db('products').where({ sku: `${prefix}-NEW` }).first(), undefined);
  });

  it('backs up first, deducts history at the register outlet only, links by SKU, creates the missing, fails the deleted (M-B2..M-B7)', async () => {
    const before = await posStockBySku(stack, shop.outletId);
    const other = await posStockBySku(stack, shop.otherOutletId);
    result = await importOnce('first');
    assert.equal(result.phase, 'done');
    // M-B3: the backup holds the stock as it was before the first order.
    const backupRows = await stack.db('backup_inventory').where({ backup_id: result.backupId, outlet_id: shop.outletId });
    for (const sku of skus) {
      const item = (await stack.db('products').where({ sku }).first('id')) ?? (await stack.db('variants').where({ sku }).first('product_id as id'));
      assert.ok(backupRows.some((r) => r.product_id === item.id && r.quantity === 100), `backup of ${sku}`);
    }
    // M-B4: deducted at the register's outlet, exactly the history orders' quantities.
    const after = await posStockBySku(stack, shop.outletId);
    for (const sku of skus) assert.equal(after.get(sku), before.get(sku)! - (expected.bySku.get(sku) ?? 0), `stock of ${sku}`);
    assert.deepEqual(await posStockBySku(stack, shop.otherOutletId), other, 'the other outlet is untouched');
    // M-B2: the order placed after the connection is not imported.
    assert.equal(await stack.db('remote_orders').where({ connection_id: shop.connectionId, remote_order_id: liveOrderId }).first(), undefined);
    // M-B5: linked by SKU.
    const linked = await stack.db('product_links').where({ connection_id: shop.connectionId }).count({ n: '*' });
    assert.ok(Number(linked[0]!.n) >= skus.length, 'the sold items are linked');
    // M-B6: the product only the shop had now exists in the POS. The shop does not track its stock, so
    // its orders took none (no _reduced_stock) and the POS moves none either (M-B10).
    const created = await stack.db('products').where({ sku: `${prefix}-NEW` }).first();
    assert.ok(created, 'the missing product was created');
    assert.equal(after.get(`${prefix}-NEW`) ?? 0, 0);
    // M-B7: each order with a deleted product failed alone, with its reason.
    const failed = await stack.db('remote_orders').where({ connection_id: shop.connectionId, outcome: 'failed' });
    assert.deepEqual(failed.map((f) => Number(f.remote_order_id)).sort((a, b) => a - b), [...expected.failing].sort((a, b) => a - b));
    assert.match(failed[0].reason, /was deleted in the shop/);
    const skipped = await stack.db('remote_orders').where({ connection_id: shop.connectionId, outcome: 'skipped' }).whereIn('status', ['cancelled', 'failed']).first();
    assert.ok(skipped, 'cancelled and failed history is recorded as skipped');
    // M-B10: a refunded order still holds its stock out of the shop (no restock), so it is deducted.
    const refunded = await stack.db('remote_orders').where({ connection_id: shop.connectionId, status: 'refunded' }).select('outcome');
    assert.ok(refunded.length > 0 && refunded.every((r) => r.outcome !== 'skipped'), 'refunded history is not taken as restocked');
  });

  it('pushes the linked products back with the POS details and stock (M-B5)', async () => {
    const after = await posStockBySku(stack, shop.outletId);
    await waitFor('shop stock equal to POS stock for every linked product', () =>
      skus.every((sku) => shop.sandbox.state.findBySku(sku)?.stock_quantity === after.get(sku)));
    assert.equal(shop.sandbox.state.findBySku(skus[0]!).name, 'POS product 0', 'the POS name overwrote the shop name');
  });

  it('a re-run from the beginning deducts nothing (M-B8)', async () => {
    const before = await posStockBySku(stack, shop.outletId);
    const again = await importOnce('again');
    assert.equal(again.deducted, 0);
    assert.deepEqual(await posStockBySku(stack, shop.outletId), before);
  });

  it('restores stock from the backup, and re-imports chosen orders exactly once (M-B3, M-B8)', async () => {
    const restored = await stack.client.workflow.execute<typeof restoreBackup>('restoreBackup', {
      workflowId: `restore-backup/${result.backupId}`, taskQueue: stack.config.temporal.taskQueue, args: [{ backupId: result.backupId! }],
    });
    assert.ok(restored.levels > 0);
    const stock = await posStockBySku(stack, shop.outletId);
    for (const sku of skus) assert.equal(stock.get(sku), 100, `${sku} back to its backup level`);
    const order = shop.sandbox.state.order(expected.counted[0]!);
    const reimport = (n: string) => stack.client.workflow.execute<typeof reimportOrders>('reimportOrders', {
      workflowId: `order-reimport/${shop.connectionId}/${n}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, orderIds: [order.id] }],
    });
    await reimport('1');
    await reimport('2');
    const now = await posStockBySku(stack, shop.outletId);
    for (const l of order.line_items) {
      const same = order.line_items.filter((x: { sku: string }) => x.sku === l.sku).reduce((s: number, x: { quantity: number }) => s + x.quantity, 0);
      assert.equal(now.get(l.sku), 100 - same, `${l.sku} deducted once for order ${order.id}`);
    }
  });

  it('pauses between pages, resumes, reports progress, and keeps its checkpoint across continue-as-new (M-B9)', async () => {
    const slow = await freshShop(stack, { latency: { perRequestMs: 150 } });
    try {
      await mirroredCatalog(stack, slow, `${prefix}P`);
      await setStartDate(stack, slow.connectionId, start);
      slow.sandbox.seedOrders({ count: 1200, createdBefore: new Date(start.getTime() - 3_600_000), seed: 3 });
      const handle = await stack.client.workflow.start<typeof orderImport>('orderImport', {
        workflowId: orderImportWorkflowId(slow.connectionId), taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: slow.connectionId, pagesPerRun: 4 }],
      });
      await waitFor('the first page', async () => (await handle.query(importProgressQuery)).pagesDone >= 1);
      await handle.signal(pauseImportSignal);
      await waitFor('the paused phase', async () => (await handle.query(importProgressQuery)).phase === 'paused');
      const paused = await handle.query(importProgressQuery);
      await new Promise((r) => setTimeout(r, 1500));
      const still = await handle.query(importProgressQuery);
      assert.equal(still.pagesDone, paused.pagesDone, 'no page while paused');
      assert.ok(paused.totalOrders! >= 1200 && paused.cursor, 'the checkpoint is a cursor into the history');
      const row = await stack.db('import_runs').where({ connection_id: slow.connectionId }).first();
      assert.equal(row.state, 'paused', 'the progress table tells scripts it is paused');
      await handle.signal(resumeImportSignal);
      const done = await handle.result();
      assert.equal(done.phase, 'done');
      assert.equal(done.ordersDone, done.totalOrders);
      assert.ok(done.pagesDone >= 12);
      // Visibility is eventually consistent: wait for the chain's runs to be listed.
      await waitFor('three or more runs cut by continue-as-new', async () => {
        let runs = 0;
        for await (const _ of stack.client.workflow.list({ query: `WorkflowId = "${orderImportWorkflowId(slow.connectionId)}"` })) runs += 1;
        return runs >= 3;
      });
      const rows = Number((await stack.db('remote_orders').where({ connection_id: slow.connectionId }).count({ n: '*' }))[0]!.n);
      assert.equal(rows, done.totalOrders, 'every order once across the runs');
    } finally {
      await slow.sandbox.close();
    }
  });
});
