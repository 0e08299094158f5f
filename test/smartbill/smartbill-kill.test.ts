import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WooClient } from '../../activities/woocommerce/client';
import { recordStockCall } from '../../activities/smartbill/ledger';
import { startWooSandbox, type WooSandbox } from '../../sandbox/woocommerce';
import type { Stack } from '../../stack/start';
import { wakeSmartBillApply } from '../../stack/smartbill-starter';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes';
import { waitFor } from '../helpers/shop';
import { testStack } from '../helpers/test-stack';

/**
 * Issue 12: a worker SIGKILLed in the middle of applying SmartBill movements loses nothing and writes no
 * older level after a newer one: the next worker applies the same newest levels (absolute, so a repeat is harmless).
 */
describe('SmartBill apply survives a killed worker (issue 12)', function () {
  this.timeout(600_000);
  let stack: Stack;
  let shop: WooSandbox;
  const workers: WorkerProcess[] = [];
  const tag = `${process.pid}-${Date.now() % 100000}`;
  const taskQueue = `smartbill-kill-${tag}`;
  const shopId = `sbk-shop-${tag}`;
  const connectionId = `sbk-${tag}`;
  let dir: string;

  before(async function () {
    this.timeout(600_000);
    stack = await testStack();
    // Slow writes (1 s per request), so the kill lands while the round is writing.
    shop = await startWooSandbox({ latency: { perRequestMs: 1000 }, concurrency: 8 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'possync-sbk-'));
  });
  after(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await shop.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const worker = async () => {
    const file = path.join(dir, 'connections.yaml');
    fs.writeFileSync(file, `connections:\n  - { id: ${connectionId}, kind: smartbill, username: x@example.ro, company_vat: RO1, token: { env: SBK_TOKEN }, warehouse: Depozit, shop_connection: ${shopId} }\n`);
    const w = await startWorkerProcess(stack, {
      taskQueue, connectionId: shopId, woo: { url: shop.url, key: shop.consumerKey, secret: shop.consumerSecret },
      env: { POSSYNC_CONNECTIONS: file, SBK_TOKEN: 'sbk-token', WORKER_METRICS_ADDRESS: 'off' },
    });
    workers.push(w);
    await w.ready;
    return w;
  };

  it('applies every movement exactly to its newest level after a SIGKILL mid-round', async () => {
    const woo = new WooClient({ baseUrl: shop.url, consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret });
    const codes = Array.from({ length: 600 }, (_, i) => `SBK-${tag}-${i}`);
    for (let i = 0; i < codes.length; i += 100) {
      await woo.batchProducts({ create: codes.slice(i, i + 100).map((sku) => ({ name: sku, sku, type: 'simple', status: 'publish', manage_stock: true, stock_quantity: 0 } as any)) });
    }
    // Two levels per product in one ledger: the second (newer) must win.
    const item = (code: string, quantity: number) => ({ item: { warehouse: 'Depozit', productCode: code, productName: code, quantity, sentQuantity: quantity } });
    await recordStockCall(stack.db, connectionId, codes.map((c, i) => item(c, 1000 + i)));
    await recordStockCall(stack.db, connectionId, codes.map((c, i) => item(c, i)));

    const first = await worker();
    await wakeSmartBillApply(stack.client, taskQueue, connectionId, { coalesceMs: 0 });
    // Killed once a write is under way and before the round settled.
    await waitFor('the first batch write under way', () => shop.stats().batchItems > 0);
    first.child.kill('SIGKILL');
    const pendingAfterKill = await stack.db('smartbill_movements').where({ connection_id: connectionId }).whereNull('outcome').count<{ n: string }[]>('* as n');
    assert.ok(Number(pendingAfterKill[0]!.n) > 0, 'the kill landed before the round settled');

    await worker();
    await waitFor('every movement settled', async () => !(await stack.db('smartbill_movements').where({ connection_id: connectionId }).whereNull('outcome').first('id')));
    const outcomes: { outcome: string; n: string }[] = await stack.db('smartbill_movements').where({ connection_id: connectionId }).groupBy('outcome').select('outcome').count('* as n');
    assert.deepEqual(Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])), { applied: 600, superseded: 600 });
    const wrong = codes.filter((c, i) => shop.state.findBySku(c)?.stock_quantity !== i);
    assert.deepEqual(wrong, [], 'every product holds its newest level');
  });
});
