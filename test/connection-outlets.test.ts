import assert from 'node:assert/strict';
import { applyOutletSet } from '../activities/pos/connection-apply';
import type { ConnectionSpec } from '../stack/connection-spec';
import { simpleProduct, uniqueSku, waitFor } from './helpers/shop';
import type { shopView } from '../workflows/shop-view';
import { runCli } from './cli/run-cli';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from './helpers/suite-setup';

/** Issue 11 (M-C6): the stock of chosen outlets summed for a connection, by every push path. */
describe('outlets per connection (issue 11, M-C6)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  const shopStock = (sku: string): number | undefined => shop.sandbox.state.findBySku(sku)?.stock_quantity;
  const url = () => `/api/connections/${shop.connectionId}/outlets`;

  it('sums two outlets in the shop, a sale at the second reaches the shop, removing an outlet lowers it; saga and catalog sync push the same sum', async () => {
    const sku = uniqueSku('CO');
    const created = await shop.api.post('/api/products', simpleProduct(sku));
    assert.equal(created.status, 201, JSON.stringify(created.data));
    for (const [outlet_id, counted] of [[shop.outletId, 5], [shop.otherOutletId, 7]] as const) {
      const count = await shop.api.post('/api/stock-counts', { outlet_id, lines: [{ sku, counted }] });
      assert.equal(count.status, 201, JSON.stringify(count.data));
    }
    await waitFor('the register outlet alone in the shop', () => shopStock(sku) === 5);
    assert.deepEqual((await shop.api.get(url())).data, { connection_id: shop.connectionId, outlet_ids: [shop.outletId], default: true });

    const added = await runCli(stack, 'outlets', shop.connectionId, '--add', String(shop.otherOutletId));
    assert.match(added.stdout, /sums the stock of: .*; 1 linked product\(s\) queued/);
    await waitFor('both outlets summed in the shop', () => shopStock(sku) === 12);
    const view = await stack.client.workflow.execute<typeof shopView>('shopView', {
      workflowId: `test-co-view/${Date.now()}`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId, sku }],
    });
    assert.equal(view.items[0]!.pos?.stock_quantity, 12, '`possync shop` computes the same sum');
    assert.deepEqual(view.items[0]!.differences, []);

    const reg = await shop.api.post('/api/registers', { outlet_id: shop.otherOutletId, name: `Till ${sku}` });
    assert.equal(reg.status, 201, JSON.stringify(reg.data));
    const sale = await shop.api.post('/api/sales', { register_id: reg.data.id, lines: [{ sku, quantity: 3 }] });
    assert.equal(sale.status, 201, JSON.stringify(sale.data));
    await waitFor('the sale at the second outlet in the shop', () => shopStock(sku) === 9);

    const removed = await runCli(stack, 'outlets', shop.connectionId, '--remove', String(shop.outletId));
    assert.match(removed.stdout, /1 linked product\(s\) queued/);
    await waitFor('the second outlet alone in the shop', () => shopStock(sku) === 4);

    // The per-product saga and the catalog sync push the same sum.
    const remoteId = shop.sandbox.state.findBySku(sku).id;
    shop.sandbox.state.editProduct(remoteId, { stock_quantity: 40 });
    await runCli(stack, 'push', sku);
    await waitFor('the saga pushing the sum of the set', () => shopStock(sku) === 4);
    shop.sandbox.state.editProduct(remoteId, { stock_quantity: 41 });
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-outlets`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId }],
    });
    assert.equal(shopStock(sku), 4, 'the catalog sync pushes the sum of the set');
  });

  it('refuses an unknown or deactivated outlet naming the field, and writes nothing', async () => {
    const before = (await shop.api.get(url())).data;
    const unknown = await shop.api.put(url(), { outlet_ids: [shop.outletId, 2_000_000_000] });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.data.problems[0].field, 'outlet_ids');
    const [off] = await stack.db('outlets').insert({ name: `Closed ${uniqueSku('X')}`, active: false }, ['id']);
    const closed = await shop.api.put(url(), { outlet_ids: [off.id] });
    assert.equal(closed.status, 400);
    assert.match(closed.data.problems[0].message, /deactivated/);
    const empty = await shop.api.put(url(), { outlet_ids: [] });
    assert.equal(empty.status, 400);
    assert.equal(empty.data.problems[0].field, 'outlet_ids');
    assert.equal((await shop.api.put('/api/connections/no-such/outlets', { outlet_ids: [shop.outletId] })).status, 404);
    assert.deepEqual((await shop.api.get(url())).data, before);
    // An outlet in a connection's set cannot be deactivated while it is there.
    const extra = await shop.api.post('/api/outlets', { name: `Summed ${uniqueSku('X')}` });
    assert.equal(extra.status, 201, JSON.stringify(extra.data));
    assert.equal((await shop.api.put(url(), { outlet_ids: [...before.outlet_ids, extra.data.id] })).status, 200);
    const refused = await shop.api.patch(`/api/outlets/${extra.data.id}`, { active: false });
    assert.equal(refused.status, 409, JSON.stringify(refused.data));
    assert.match(refused.data.problems[0].message, /outlet set of active connection/);
    assert.equal((await shop.api.put(url(), { outlet_ids: before.outlet_ids })).status, 200);
    assert.equal((await shop.api.patch(`/api/outlets/${extra.data.id}`, { active: false })).status, 200);
    // The GET document goes back unchanged.
    const again = await shop.api.put(url(), before);
    assert.equal(again.status, 200, JSON.stringify(again.data));
    assert.equal(again.data.queued, 0);
  });
});

describe('outlets per connection from the connections file (issue 11, issue 9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();

  it("takes the file's outlets by name as the connection's set; an unknown name stops the start naming the field", async () => {
    const id = `file-outlets-${process.pid}-${Date.now() % 100000}`;
    const [a, b] = [`${id} A`, `${id} B`];
    const [oa] = await stack.db('outlets').insert({ name: a }, ['id']);
    const [ob] = await stack.db('outlets').insert({ name: b }, ['id']);
    const [register] = await stack.db('registers').insert({ outlet_id: oa.id, name: `${id} register` }, ['id']);
    await stack.db('connections').insert({ id, kind: 'woocommerce', name: id, base_url: 'http://127.0.0.1:9', register_id: register.id, active: false });
    const spec = (outlets: string[]): ConnectionSpec => ({
      id, kind: 'woocommerce', name: id, sandbox: false, register: {}, settings: { outlets },
    });
    await stack.db.transaction((trx) => applyOutletSet(trx, spec([a, b])));
    const set = await stack.db('connection_outlets').where({ connection_id: id }).orderBy('outlet_id').pluck('outlet_id');
    assert.deepEqual(set, [oa.id, ob.id].sort((x, y) => x - y));
    await assert.rejects(stack.db.transaction((trx) => applyOutletSet(trx, spec([a, 'no such outlet']))),
      new RegExp(`connection ${id}\\.outlets: there is no outlet named "no such outlet"`));
    assert.equal((await stack.db('connection_outlets').where({ connection_id: id }).pluck('outlet_id')).length, 2, 'nothing written');
  });
});
