import assert from 'node:assert/strict';
import { WooClient } from '../../activities/woocommerce/client';
import type { SmartBillConnection } from '../../activities/smartbill/registry';
import { startSmartBillSandbox, sendStockCall, type SmartBillSandbox } from '../../sandbox/smartbill';
import { anonymousClient } from '../helpers/api';
import { freshShop, uniqueSku, waitFor, type TestShop } from '../helpers/shop';
import { useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';
import { smartbillApplyWorkflowId } from '../../workflows/contracts/smartbill-apply';

/** SmartBill stock movements into WooCommerce (issue 12, M-D1..M-D8), through the real receiver, ledger and workflow. */
describe('SmartBill stock into WooCommerce', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: TestShop;
  let sb: SmartBillSandbox;
  let woo: WooClient;
  let conn: SmartBillConnection;
  let counter = 0;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    sb = await startSmartBillSandbox();
  });
  after(() => sb.close());
  beforeEach(async () => {
    shop = await freshShop(stack);
    woo = new WooClient({ baseUrl: shop.sandbox.url, consumerKey: shop.sandbox.consumerKey, consumerSecret: shop.sandbox.consumerSecret });
    counter += 1;
    conn = {
      id: `sb-${process.pid}-${counter}`, token: sb.token, username: sb.email, companyVat: sb.cif, apiUrl: sb.apiUrl,
      warehouse: 'Depozit', shopConnectionId: shop.connectionId, stockOwner: 'pos', enabled: true,
    };
    stack.smartbill.set(conn);
  });
  afterEach(async () => {
    stack.smartbill.delete(conn.id);
    await shop.sandbox.close();
  });

  const receiverUrl = () => `${stack.httpUrl}/smartbill/${conn.id}/stocks`;
  const settled = (connectionId = conn.id) => waitFor('every movement settled', async () => {
    const pending = await stack.db('smartbill_movements').where({ connection_id: connectionId }).whereNull('outcome').count<{ count: string }[]>('* as count');
    return Number(pending[0]!.count) === 0;
  });
  const outcomes = async () => (await stack.db('smartbill_movements').where({ connection_id: conn.id }).orderBy('id')
    .select('product_code', 'product_name', 'outcome', 'reason', 'quantity'));
  const simple = (sku: string, extra: Record<string, unknown> = {}) =>
    woo.createProduct({ name: `Produs ${sku}`, sku, type: 'simple', status: 'publish', manage_stock: true, stock_quantity: 1, ...extra } as any);

  describe('the receiver answers as the SmartBill plugin does (M-D3)', () => {
    it('refuses a wrong or missing token with 403 and changes nothing, naming the stripped-header cause', async () => {
      const api = anonymousClient(stack);
      const body = { products: [{ warehouse: 'Depozit', productCode: 'X', productName: 'x', quantity: 1 }] };
      const wrong = await api.post(`/smartbill/${conn.id}/stocks`, body, { headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 403);
      assert.match(wrong.data, /^Autentificare esuata/);
      const stripped = await sb.runMovements({ url: receiverUrl(), token: sb.token, stripAuthorization: true }, { warehouse: 'Depozit', products: [{ productCode: 'X', productName: 'x' }], count: 1 });
      assert.deepEqual(stripped.statuses, [403]);
      const missing = await api.post(`/smartbill/${conn.id}/stocks`, body);
      assert.match(missing.data, /SetEnvIf Authorization/);
      const unknown = await api.post('/smartbill/no-such-connection/stocks', body, { headers: { authorization: `Bearer ${sb.token}` } });
      assert.deepEqual([unknown.status, unknown.data], [403, wrong.data]);
      assert.equal((await outcomes()).length, 0);
    });

    it('answers the test call, bad JSON and a switched-off sync with the plugin\'s words', async () => {
      const api = anonymousClient(stack);
      const auth = { authorization: `Bearer ${sb.token.toUpperCase()}`, 'content-type': 'application/json' };
      const test = await api.post(`/smartbill/${conn.id}/stocks`, '[]', { headers: auth, transformResponse: (d) => d });
      assert.deepEqual([test.status, test.data], [200, '"Testul de sincronizare stoc a fost facut cu succes!"\nnull']);
      const bad = await api.post(`/smartbill/${conn.id}/stocks`, '{"products":[', { headers: auth, transformRequest: [(d) => d] });
      assert.deepEqual([bad.status, bad.data], [400, 'Eroare sintaxa. Verifica valididatea JSON-ului trimis.']);
      stack.smartbill.set({ ...conn, enabled: false });
      const off = await api.post(`/smartbill/${conn.id}/stocks`, '[]', { headers: auth });
      assert.equal(off.status, 400);
      assert.match(off.data, /Sincronizarea stocului este oprita/);
    });

    it('is served at the plugin\'s own path too, finding the connection by its token', async () => {
      const twin = { ...conn, id: `${conn.id}-twin` };
      stack.smartbill.set(twin);
      const both = await sendStockCall({ url: `${stack.httpUrl}/wp-json/smartbill_woocommerce/v1/stocks`, token: sb.token }, []);
      assert.equal(both.status, 400);
      assert.match(both.body, /Several SmartBill connections use this token/);
      stack.smartbill.delete(twin.id);

      const sku = uniqueSku('SBP');
      const p = await simple(sku);
      const r = await sendStockCall({ url: `${stack.httpUrl}/wp-json/smartbill_woocommerce/v1/stocks`, token: sb.token, shape: 'array' },
        [{ warehouse: 'depozit', productCode: sku, productName: 'x', measuringUnit: 'buc', quantity: 7 }]);
      assert.equal(r.status, 200);
      assert.match(r.body, new RegExp(`Stoc primit pentru produsul cu codul ${sku}. Stoc nou: 7`));
      await settled();
      assert.equal(shop.sandbox.state.stockOf(p.id), 7);
    });
  });

  it('sets the stock of matched, stock-managed items and reports every other outcome (M-D1, M-D4, M-D5)', async () => {
    const [a, b] = [uniqueSku('SBA'), uniqueSku('SBB')];
    const pa = await simple(a);
    const unmanaged = await simple(b, { manage_stock: false });
    const draft = uniqueSku('SBD');
    await simple(draft, { status: 'draft' });
    const byName = await woo.createProduct({ name: `Cămașă ${a}`, type: 'simple', status: 'publish', manage_stock: true, stock_quantity: 0 } as any);
    await woo.createProduct({ name: `Twin ${a}`, type: 'simple', status: 'publish', manage_stock: true } as any);
    await woo.createProduct({ name: `Twin ${a}`, type: 'simple', status: 'publish', manage_stock: true } as any);
    const parent = await woo.createProduct({ name: `Shirt ${a}`, type: 'variable', status: 'publish', attributes: [{ name: 'Size', options: ['S', 'M'], variation: true }] } as any);
    const vs = await woo.createVariation(parent.id, { sku: `${a}-S`, regular_price: '10', manage_stock: true, stock_quantity: 2, attributes: [{ name: 'Size', option: 'S' }] } as any);

    const items = [
      { warehouse: 'DEPOZIT', productCode: a, productName: 'ignored', quantity: 12.9 },
      { warehouse: 'Depozit', productCode: b, productName: 'x', quantity: 3 },
      { warehouse: 'Depozit', productCode: draft, productName: 'x', quantity: 3 },
      { warehouse: 'Depozit', productCode: '', productName: `CAMASA  ${a}`, quantity: 4 },
      { warehouse: 'Depozit', productCode: '', productName: `Twin ${a}`, quantity: 5 },
      { warehouse: 'Depozit', productCode: `${a}-S`, productName: 'x', quantity: 6 },
      { warehouse: 'Magazin', productCode: a, productName: 'x', quantity: 99 },
      { warehouse: 'Depozit', productCode: 'NOPE', productName: 'x', quantity: 1 },
    ];
    const r = await sendStockCall({ url: receiverUrl(), token: sb.token }, items.map((i) => ({ measuringUnit: 'buc', ...i })));
    assert.equal(r.status, 200);
    assert.match(r.body, /Gestiune configurata in modul: Depozit\. Gestiunea produsului x: Magazin/);
    await settled();

    assert.equal(shop.sandbox.state.stockOf(pa.id), 12, 'fractional quantities are truncated as WooCommerce does');
    assert.equal(shop.sandbox.state.stockOf(byName.id), 4, 'matched by name when the code is empty');
    assert.equal(shop.sandbox.state.variation(parent.id, vs.id).stock_quantity, 6);
    assert.equal(shop.sandbox.state.product(unmanaged.id).manage_stock, false);
    assert.deepEqual((await outcomes()).map((o) => o.outcome), ['applied', 'not_managed', 'not_found', 'applied', 'ambiguous', 'applied', 'skipped', 'not_found']);
  });

  it('writes each product once for many movements, and never an older level after a newer one (M-D8)', async () => {
    const skus = Array.from({ length: 20 }, () => uniqueSku('SBM'));
    const ids = new Map<string, number>();
    for (const sku of skus) ids.set(sku, (await simple(sku)).id);
    shop.sandbox.resetStats();
    const products = skus.map((s) => ({ productCode: s, productName: s }));
    const run = await sb.runMovements({ url: receiverUrl(), token: sb.token }, { warehouse: 'Depozit', products, count: 400, itemsPerCall: 4, concurrency: 4, seed: 9 });
    assert.ok(run.statuses.every((s) => s === 200));
    await settled();
    // With concurrent calls the newest level is the one committed last: the ledger's order.
    const newest = await stack.db('smartbill_movements').where({ connection_id: conn.id }).distinctOn('product_key').orderBy([{ column: 'product_key' }, { column: 'id', order: 'desc' }]).select('product_code', 'quantity');
    for (const n of newest) assert.equal(shop.sandbox.state.stockOf(ids.get(n.product_code)!), n.quantity, n.product_code);
    const rows: { outcome: string; n: string }[] = await stack.db('smartbill_movements').where({ connection_id: conn.id }).groupBy('outcome').select('outcome').count('* as n');
    const count = Object.fromEntries(rows.map((r) => [r.outcome, Number(r.n)]));
    assert.deepEqual(Object.keys(count).sort(), ['applied', 'superseded']);
    assert.ok(count.superseded! > 0, 'movements of one product between two rounds coalesce');
    // One item write per applied level, and nothing else written.
    const stats = shop.sandbox.stats();
    // An attempt that wrote and then died before it settled (a busy machine's heartbeat timeout) is written again by
    // its retry: absolute levels, harmless. Without retries, exactly one item write per applied level.
    const history = await stack.client.workflow.getHandle(smartbillApplyWorkflowId(conn.id)).fetchHistory();
    const retried = (history.events ?? []).filter((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1).length;
    if (retried === 0) assert.equal(stats.batchItems, count.applied);
    else assert.ok(stats.batchItems <= count.applied! * (retried + 1), `${stats.batchItems} writes for ${count.applied} levels, ${retried} retries`);
    assert.equal(Object.values(stats.writesByProductId).reduce((a, b) => a + b, 0), stats.batchItems);
  });

  it('repeated and concurrent identical calls are harmless', async () => {
    const sku = uniqueSku('SBR');
    const p = await simple(sku);
    const call = [{ warehouse: 'Depozit', productCode: sku, productName: 'x', measuringUnit: 'buc', quantity: 8 }];
    const answers = await Promise.all(Array.from({ length: 10 }, () => sendStockCall({ url: receiverUrl(), token: sb.token }, call)));
    assert.ok(answers.every((a) => a.status === 200));
    await settled();
    assert.equal(shop.sandbox.state.stockOf(p.id), 8);
    const applied = await stack.db('smartbill_movements').where({ connection_id: conn.id, outcome: 'applied' }).count<{ count: string }[]>('* as count');
    assert.equal(Number(applied[0]!.count), 1);
  });

  it('leaves the stock of an item linked to the POS alone when the POS owns it, and says so (M-D8)', async () => {
    const sku = uniqueSku('SBO');
    const p = await simple(sku, { stock_quantity: 5 });
    const [product] = await stack.db('products').insert({ sku, type: 'simple', name: sku, retail_price: 1, channels: ['in_store', 'online'] }, ['id']);
    await stack.db('product_links').insert({ connection_id: shop.connectionId, product_id: product.id, remote_id: p.id });
    await sendStockCall({ url: receiverUrl(), token: sb.token }, [{ warehouse: 'Depozit', productCode: sku, productName: 'x', measuringUnit: 'buc', quantity: 50 }]);
    await settled();
    assert.equal(shop.sandbox.state.stockOf(p.id), 5);
    const [o] = await outcomes();
    assert.equal(o.outcome, 'not_owner');
    assert.match(o.reason, /linked to the POS/);
  });

  it("leaves to SmartBill the stock of an item it owns: the POS's pushes no longer write it (M-D8)", async () => {
    const sku = uniqueSku('SBS');
    const api = shop.api;
    assert.equal((await api.post('/api/products', { sku, type: 'simple', name: `Produs ${sku}`, retail_price: 10, channels: ['in_store', 'online'] })).status, 201);
    assert.equal((await api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 5 }] })).status, 201);
    const linked = await waitFor('the product in the shop with the POS stock', () => {
      const p = shop.sandbox.state.findBySku(sku);
      return p?.stock_quantity === 5 ? p : undefined;
    });
    // SmartBill owns the stock of its items in this shop (the connection's stock_owner).
    await stack.db('connections').insert({
      id: conn.id, kind: 'smartbill', name: conn.id, base_url: conn.apiUrl, register_id: shop.registerId,
      settings: { stock_owner: 'smartbill', shop_connection: shop.connectionId }, active: true,
    });
    stack.smartbill.set({ ...conn, stockOwner: 'smartbill' });
    await sendStockCall({ url: receiverUrl(), token: sb.token }, [{ warehouse: 'Depozit', productCode: sku, productName: 'x', measuringUnit: 'buc', quantity: 50 }]);
    await settled();
    assert.equal((await outcomes())[0]!.outcome, 'applied', 'an item linked to the POS is written when SmartBill owns its stock');
    assert.equal(shop.sandbox.state.stockOf(linked.id), 50);

    // A sale and an edit at the POS: the edit reaches the shop, the POS stock does not.
    assert.equal((await api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }] })).status, 201);
    assert.equal((await api.post('/api/products', { sku, type: 'simple', name: `Produs ${sku} nou`, retail_price: 10, channels: ['in_store', 'online'] })).status, 200);
    await waitFor('the edit in the shop', () => shop.sandbox.state.findBySku(sku)?.name === `Produs ${sku} nou`);
    await waitFor('every push done', async () =>
      !(await stack.db('products').where({ sku, push_pending: true }).first('id')) && !(await stack.db('batch_push_queue').where({ connection_id: shop.connectionId }).first('product_id')));
    assert.equal(shop.sandbox.state.stockOf(linked.id), 50);
    await stack.db('connections').where({ id: conn.id }).delete();
  });

  it('keeps every movement while the shop is down and applies it when the shop is back', async () => {
    const sku = uniqueSku('SBF');
    const p = await simple(sku);
    shop.sandbox.setFaults({ serverErrorRate: 1 });
    const r = await sendStockCall({ url: receiverUrl(), token: sb.token }, [{ warehouse: 'Depozit', productCode: sku, productName: 'x', measuringUnit: 'buc', quantity: 11 }]);
    assert.equal(r.status, 200, 'answered at once, the shop being down');
    await new Promise((res) => setTimeout(res, 1500));
    assert.equal((await outcomes())[0]!.outcome, null);
    shop.sandbox.resetFaults();
    await settled();
    assert.equal(shop.sandbox.state.stockOf(p.id), 11);
  });
});
