// Issue 10: the eCom writer survives a worker killed while a create is in flight, and the product
// is created once: the create's answer never reached the dead worker, the next one finds it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ecomWriter } from '../workflows/ecom-writer';
import { ecomRowsQueuedSignal, ecomWriterWorkflowId } from '../workflows/contracts/ecom-writer';
import { ecomProductsWithSku, ecomVariantBySku, freshEcomShop, type EcomTestShop } from './helpers/ecom-shop';
import { startHoldingProxy, type HoldingProxy } from './helpers/holding-proxy';
import { startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import { TEST_HANG_GUARD_MS, useTestStack } from './helpers/suite-setup';

describe('an eCom writer whose worker is killed mid-create (issue 10)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: EcomTestShop | undefined;
  let proxy: HoldingProxy | undefined;
  let dir: string | undefined;
  const workers: WorkerProcess[] = [];

  after(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await proxy?.close();
    await shop?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the writer lives on, the next worker finishes the create, and the shop holds the product once', async () => {
    // Products of earlier test files are online: a newly active eCom connection rightly takes them all, and its
    // writer would start on the stack's worker before this test's. This test wants its one product, on its workers.
    await stack.db('products').update({ channels: ['in_store'] });
    shop = await freshEcomShop(stack, {}, { writer: true });
    proxy = await startHoldingProxy(shop.sandbox.url);
    // The worker processes know the connection from a connections file, as a standalone worker does.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-ecom-kill-'));
    const file = path.join(dir, 'connections.yaml');
    fs.writeFileSync(file, `connections:\n  - { id: ${shop.connectionId}, kind: ecom, url: '${proxy.url}', api_key: { env: ECOM_KEY }, api_secret: { env: ECOM_SECRET }, register: ${shop.registerId} }\n`);
    const env = { POSSYNC_CONNECTIONS: file, ECOM_KEY: shop.sandbox.apiKey, ECOM_SECRET: shop.sandbox.apiSecret };
    const woo = { url: stack.sandbox!.url, key: stack.sandbox!.consumerKey, secret: stack.sandbox!.consumerSecret };
    const taskQueue = `ecom-kill-${process.pid}-${Date.now()}`;
    const workerProcess = async () => {
      const w = await startWorkerProcess(stack, { taskQueue, connectionId: `woo-unused-${process.pid}`, woo, env });
      workers.push(w);
      await w.ready;
      return w;
    };

    const first = await workerProcess();
    // The connection's writer runs on a task queue only the worker processes poll; the dispatcher's signals reach it.
    const handle = await stack.client.workflow.signalWithStart<typeof ecomWriter, []>('ecomWriter', {
      workflowId: ecomWriterWorkflowId(shop.connectionId), taskQueue,
      args: [{ connectionId: shop.connectionId, settleMs: 100, quietWindowMs: 300, idleTimeoutMs: 600_000 }],
      signal: ecomRowsQueuedSignal,
    });
    proxy.hold('POST', /^\/nl\/products\.json$/);
    const sku = uniqueSku('EKILL');
    const id = await shop.save(simpleProduct(sku));
    await waitFor('the create applied in the shop, its answer held', () => proxy!.held() > 0);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    proxy.release();

    await workerProcess();
    const link = () => stack.db('product_links').where({ connection_id: shop!.connectionId, product_id: id }).whereNull('variant_id').first();
    await waitFor('the product in the shop, linked', async () => ecomVariantBySku(shop!.sandbox, sku) !== undefined && (await link()) !== undefined);
    assert.equal(ecomProductsWithSku(shop.sandbox, sku), 1);
    assert.equal(shop.sandbox.state.products.size, 1, 'one product in the shop: the lost create was found, not sent again');
    assert.equal(Number((await link()).remote_id), ecomVariantBySku(shop.sandbox, sku)!.product);
    assert.equal((await handle.describe()).status.name, 'RUNNING', 'the writer lives on');
    await handle.terminate('test over');
  });
});
