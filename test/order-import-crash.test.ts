import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { workflowBundleForTests } from './helpers/workflow-bundle';
import { freshShop, waitFor, type TestShop } from './helpers/shop';
import { expectedDeductions, mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { tcpGate, type TcpGate } from './helpers/tcp-gate';
import { importProgressQuery, orderImportWorkflowId } from '../workflows/contracts/order-import';
import type { orderImport } from '../workflows/order-import';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

describe('order import survives a killed worker (M-B8, M-B9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack, { latency: { perRequestMs: 200 } });
  let worker: ChildProcess | undefined;
  let bundle: string;
  const taskQueue = `kill-test-${process.pid}`;

  /** A real worker process (npm run worker) on its own task queue, with this shop's credentials. */
  function startWorker(temporalAddress = stack.temporalAddress, target: TestShop = shop): ChildProcess {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, '..', 'workers', 'main.ts')], {
      env: {
        ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue,
        WOO_CONNECTION_ID: target.connectionId, WOO_URL: target.sandbox.url, WOO_CONSUMER_KEY: target.sandbox.consumerKey,
        WOO_CONSUMER_SECRET: target.sandbox.consumerSecret, LOG_LEVEL: 'error', TS_NODE_TRANSPILE_ONLY: 'true', WORKFLOW_BUNDLE: bundle,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return child;
  }

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    bundle = await workflowBundleForTests();
  });
  const extraShops: TestShop[] = [];
  after(async () => {
    worker?.kill('SIGKILL');
    for (const s of extraShops) await s.sandbox.close();
  });

  it('completes after SIGKILL and restart, with every stock level exact', async () => {
    const prefix = `KILL${Date.now() % 100000}`;
    const skus = await mirroredCatalog(stack, shop, prefix);
    const start = new Date(Date.now() - 60_000);
    await setStartDate(stack, shop.connectionId, start);
    shop.sandbox.seedOrders({ count: 1500, createdBefore: new Date(start.getTime() - 3_600_000), seed: 11 });
    const expected = expectedDeductions(shop.sandbox.state.orders(), { before: start });
    const before = await posStockBySku(stack, shop.outletId);

    worker = startWorker();
    const handle = await stack.client.workflow.start<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(shop.connectionId)}/kill`, taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    await waitFor('a few pages imported', async () => (await handle.query(importProgressQuery)).pagesDone >= 3);
    worker.kill('SIGKILL');
    const atKill = await handle.query(importProgressQuery).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1000));
    worker = startWorker();
    const done = await handle.result();
    assert.equal(done.phase, 'done');
    assert.ok(!atKill || atKill.pagesDone < done.pagesDone, 'the import went on after the kill');
    const after = await posStockBySku(stack, shop.outletId);
    for (const sku of skus) assert.equal(after.get(sku), before.get(sku)! - (expected.bySku.get(sku) ?? 0), `stock of ${sku}`);
    const rows = Number((await stack.db('remote_orders').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n);
    assert.equal(rows, 1500, 'every order recorded once');
  });

  it('counts a page whose result Temporal never recorded: figures come from the database (issue 7.4)', async () => {
    let gate: TcpGate | undefined;
    const prefix = `LOST${Date.now() % 100000}`;
    try {
      const lost = await freshShop(stack, { latency: { perRequestMs: 250 } });
      extraShops.push(lost);
      await mirroredCatalog(stack, lost, prefix);
      worker?.kill('SIGKILL');
      const start = new Date(Date.now() - 60_000);
      await setStartDate(stack, lost.connectionId, start);
      lost.sandbox.seedOrders({ count: 1200, createdBefore: new Date(start.getTime() - 3_600_000), seed: 12 });
      const expected = expectedDeductions(lost.sandbox.state.orders(), { before: start });
      const units = [...expected.bySku.values()].reduce((a, b) => a + b, 0);

      // The worker talks to Temporal through a gate; freezing it loses the page's completion after its commit.
      gate = await tcpGate(stack.temporalAddress);
      worker = startWorker(gate.address, lost);
      const handle = await stack.client.workflow.start<typeof orderImport>('orderImport', {
        workflowId: `${orderImportWorkflowId(lost.connectionId)}/lost`, taskQueue, args: [{ connectionId: lost.connectionId }],
      });
      await waitFor('two pages imported', async () => (await handle.query(importProgressQuery)).pagesDone >= 2);
      const run = await stack.db('import_runs').where({ workflow_id: handle.workflowId }).first();
      const committedPages = async () => Number((await stack.db('import_run_pages').where({ import_run_id: run.id }).count({ n: '*' }))[0]!.n);
      // Read from the server's history: a query would need the (frozen) worker.
      const recordedPages = async () => {
        const types = new Map<string, string>();
        let pages = 0;
        for (const e of (await handle.fetchHistory()).events ?? []) {
          const scheduled = e.activityTaskScheduledEventAttributes;
          if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '');
          const completed = e.activityTaskCompletedEventAttributes;
          if (completed && types.get(String(completed.scheduledEventId)) === 'importOrderPage') pages += 1;
        }
        return pages;
      };
      let caught = false;
      for (let attempt = 0; attempt < 20 && !caught; attempt++) {
        gate.freeze();
        await new Promise((r) => setTimeout(r, 300));
        const recorded = await recordedPages();
        // One try at the race; a missed one frees the gate and tries again.
        caught = await waitFor('a page committed that Temporal has not recorded', async () => (await committedPages()) > recorded, { deadlineMs: 5_000 }).then(() => true, () => false);
        if (!caught) gate.open();
      }
      assert.ok(caught, 'a page committed while its completion could not reach Temporal');
      worker.kill('SIGKILL');
      gate.open();
      worker = startWorker(stack.temporalAddress, lost);
      const done = await handle.result();
      assert.equal(done.phase, 'done');
      const retried = await stack.db('import_run_pages').where({ import_run_id: done.importRunId }).where('attempts', '>', 1);
      assert.ok(retried.length >= 1, 'the page was applied again by a retry');
      assert.equal(done.ordersDone, 1200);
      assert.equal(done.imported, expected.counted.length);
      assert.equal(done.deducted, units, 'units deducted: every page counted, the retried one included');
      const moved = await stack.db('stock_movements').where({ kind: 'order_import', reference_type: 'woo_order' })
        .whereRaw('split_part(reference_id, \':\', 1) = ?', [lost.connectionId]).sum({ s: 'delta' });
      assert.equal(-Number(moved[0]!.s), done.deducted, 'the figure is what the database holds');
    } finally {
      await gate?.close();
    }
  });
});
