import assert from 'node:assert/strict';
import { WooClient } from '../../activities/woocommerce/client';
import type { SmartBillConnection } from '../../activities/smartbill/registry';
import { startSmartBillSandbox, type SmartBillSandbox } from '../../sandbox/smartbill';
import type { smartbillCheck, smartbillPull } from '../../workflows/smartbill-operator';
import { possync } from '../helpers/processes';
import { uniqueSku } from '../helpers/shop';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

/** The operator's side of a SmartBill connection (M-D6, M-D7): test, manual pull, report. */
describe('SmartBill connection: test, pull and report', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  let sb: SmartBillSandbox;
  let conn: SmartBillConnection;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    sb = await startSmartBillSandbox({ callsPerSecond: 3 });
    conn = {
      id: `sbo-${process.pid}`, token: sb.token, username: sb.email, companyVat: sb.cif, apiUrl: sb.apiUrl,
      warehouse: 'depozit', shopConnectionId: shop.connectionId, stockOwner: 'pos', enabled: true,
    };
    stack.smartbill.set(conn);
  });
  after(async () => {
    stack.smartbill.delete(conn.id);
    await sb.close();
  });

  const run = <T>(type: string, args: unknown) => stack.client.workflow.execute(type, {
    workflowId: `${type}-${Date.now()}-${Math.random()}`, taskQueue: stack.config.temporal.taskQueue, args: [args],
  }) as Promise<T>;

  it('checks the credentials and finds the configured warehouse case-insensitively (M-D6)', async () => {
    const check = await run<Awaited<ReturnType<typeof smartbillCheck>>>('smartbillCheck', { connectionId: conn.id });
    assert.deepEqual(check, { warehouses: ['Depozit', 'Magazin'], warehouse: 'Depozit' });
    stack.smartbill.set({ ...conn, id: `${conn.id}-bad`, token: 'wrong' });
    await assert.rejects(run('smartbillCheck', { connectionId: `${conn.id}-bad` }), (err: any) => /refused the login/.test(err.cause?.cause?.message ?? err.cause?.message));
    const cli = await possync(stack, ['smartbill', 'test', conn.id]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /warehouses: Depozit, Magazin/);
    assert.match(cli.stdout, new RegExp(`URL: +http://.+/smartbill/${conn.id}/stocks`));
    // This connection is not in a connections file the CLI can read: it says where the token comes from.
    assert.match(cli.stdout, /Token autentificare: your SmartBill API token/);
  });

  it('pulls the warehouse stock and writes only what differs, at most every 5 minutes unless forced (M-D7)', async () => {
    const woo = new WooClient({ baseUrl: shop.sandbox.url, consumerKey: shop.sandbox.consumerKey, consumerSecret: shop.sandbox.consumerSecret });
    const [a, b, c] = [uniqueSku('PA'), uniqueSku('PB'), uniqueSku('PC')];
    const pa = await woo.createProduct({ name: a, sku: a, type: 'simple', status: 'publish', manage_stock: true, stock_quantity: 1 } as any);
    const pb = await woo.createProduct({ name: b, sku: b, type: 'simple', status: 'publish', manage_stock: true, stock_quantity: 9 } as any);
    await woo.createProduct({ name: c, sku: c, type: 'simple', status: 'publish', manage_stock: false } as any);
    sb.setStock([
      { warehouse: 'Depozit', productCode: a, productName: a, measuringUnit: 'buc', quantity: 14 },
      { warehouse: 'Depozit', productCode: b, productName: b, measuringUnit: 'buc', quantity: 9 },
      { warehouse: 'Depozit', productCode: c, productName: c, measuringUnit: 'buc', quantity: 3 },
      { warehouse: 'Depozit', productCode: 'UNKNOWN-1', productName: 'x', measuringUnit: 'buc', quantity: 3 },
      { warehouse: 'Magazin', productCode: a, productName: a, measuringUnit: 'buc', quantity: 77 },
    ]);
    shop.sandbox.resetStats();
    const first = await run<Awaited<ReturnType<typeof smartbillPull>>>('smartbillPull', { connectionId: conn.id, force: false });
    assert.deepEqual(first, { pulled: true, items: 4, outcomes: { applied: 1, unchanged: 1, not_found: 1, not_managed: 1 } });
    assert.equal(shop.sandbox.state.stockOf(pa.id), 14);
    assert.equal(shop.sandbox.state.stockOf(pb.id), 9);
    assert.equal(shop.sandbox.stats().batchItems, 1, 'only the level that differs is written');

    const again = await run<Awaited<ReturnType<typeof smartbillPull>>>('smartbillPull', { connectionId: conn.id, force: false });
    assert.equal(again.pulled, false);
    const cli = await possync(stack, ['smartbill', 'pull', conn.id, '--force']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /pulled 4 items: 0 updated, 2 unchanged, 1 not found, 0 ambiguous, 1 not stock-managed/);
  });

  it('reports the last movements and what became of each', async () => {
    const res = await shop.api.get(`/api/smartbill/${conn.id}/movements`, { params: { limit: 3 } });
    assert.equal(res.status, 200);
    assert.equal(res.data.movements.length, 3);
    assert.equal(res.data.totals.unchanged, 3);
    const bad = await shop.api.get(`/api/smartbill/${conn.id}/movements`, { params: { outcome: 'lost' } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.data), /outcome/);
    const cli = await possync(stack, ['smartbill', 'report', conn.id, '--outcome', 'not_found']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /UNKNOWN-1 → 3 {2}not_found: no published WooCommerce product/);
  });
});
