import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testStack } from './helpers/test-stack';
import { workflowBundleForTests } from './helpers/workflow-bundle';
import { freshShop, waitFor, type TestShop } from './helpers/shop';
import { expectedDeductions, mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { importProgressQuery, orderImportWorkflowId } from '../workflows/contracts/order-import';
import type { orderImport } from '../workflows/order-import';
import type { Stack } from '../stack/start';

describe('order import survives a killed worker (M-B8, M-B9)', function () {
  this.timeout(240_000);
  let stack: Stack;
  let shop: TestShop;
  let worker: ChildProcess | undefined;
  let bundle: string;
  const taskQueue = `kill-test-${process.pid}`;

  /** A real worker process (npm run worker) on its own task queue, with this shop's credentials. */
  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, '..', 'workers', 'main.ts')], {
      env: {
        ...process.env, DATABASE_URL: stack.databaseUrl, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue,
        WOO_CONNECTION_ID: shop.connectionId, WOO_URL: shop.sandbox.url, WOO_CONSUMER_KEY: shop.sandbox.consumerKey,
        WOO_CONSUMER_SECRET: shop.sandbox.consumerSecret, LOG_LEVEL: 'error', TS_NODE_TRANSPILE_ONLY: 'true', WORKFLOW_BUNDLE: bundle,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return child;
  }

  before(async function () {
    this.timeout(240_000);
    stack = await testStack();
    shop = await freshShop(stack, { latency: { perRequestMs: 200 } });
    bundle = await workflowBundleForTests();
  });
  after(async () => {
    worker?.kill('SIGKILL');
    await shop?.sandbox.close();
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
    await waitFor('a few pages imported', async () => (await handle.query(importProgressQuery)).pagesDone >= 3, 90_000);
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
});
