import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { simpleProduct, uniqueSku } from './helpers/shop';
import { possync } from './helpers/processes';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from './helpers/suite-setup';

/** Issue 8 point 8: the shop floor is set up through the API and the CLI, not only by the demo seed. */
describe('outlets and registers: create, rename, move, deactivate (issue 8.8)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  const name = (what: string) => `${what} ${crypto.randomUUID().slice(0, 8)}`;
  const count = async (table: string) => Number((await stack.db(table).count({ n: '*' }))[0]!.n);

  async function outlet(n = name('Outlet')): Promise<{ id: number; name: string; active: boolean }> {
    const res = await shop.api.post('/api/outlets', { name: n });
    assert.equal(res.status, 201, JSON.stringify(res.data));
    return res.data;
  }

  async function register(outletId: number, n = name('Till')): Promise<{ id: number; outlet_id: number; name: string; active: boolean }> {
    const res = await shop.api.post('/api/registers', { outlet_id: outletId, name: n });
    assert.equal(res.status, 201, JSON.stringify(res.data));
    return res.data;
  }

  function refused(res: { status: number; data: any }, status: number, field: string, message?: RegExp): void {
    assert.equal(res.status, status, JSON.stringify(res.data));
    assert.equal(res.data.problems[0].field, field, JSON.stringify(res.data));
    if (message) assert.match(res.data.problems[0].message, message);
  }

  it('creates and renames an outlet, lists it, and refuses a taken or blank name with nothing written', async () => {
    const o = await outlet();
    assert.equal(o.active, true);
    const listed = (await shop.api.get('/api/outlets')).data.outlets.find((x: { id: number }) => x.id === o.id);
    assert.deepEqual({ id: listed.id, name: listed.name, active: listed.active }, { id: o.id, name: o.name, active: true });

    const before = await count('outlets');
    refused(await shop.api.post('/api/outlets', { name: o.name }), 409, 'name', /already named/);
    refused(await shop.api.post('/api/outlets', { name: '  ' }), 400, 'name');
    refused(await shop.api.post('/api/outlets', { name: 'X', city: 'Y' }), 400, 'body');
    assert.equal(await count('outlets'), before, 'nothing written');

    const renamed = name('Renamed');
    const res = await shop.api.patch(`/api/outlets/${o.id}`, { ...listed, name: renamed }); // the GET document, edited
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.name, renamed);
    refused(await shop.api.patch(`/api/outlets/${o.id}`, { ...listed, id: o.id + 1 }), 400, 'id');
    refused(await shop.api.patch(`/api/outlets/${o.id}`, {}), 400, 'body');
    refused(await shop.api.patch('/api/outlets/2147483647', { name: name('Nowhere') }), 404, 'id');
    refused(await shop.api.patch('/api/outlets/abc', { name: name('Nowhere') }), 400, 'id');
    const other = await outlet();
    refused(await shop.api.patch(`/api/outlets/${other.id}`, { name: renamed }), 409, 'name');
  });

  it('creates, renames and moves registers; a name is unique within its outlet', async () => {
    const a = await outlet();
    const b = await outlet();
    const r = await register(a.id, 'Till 1');
    assert.deepEqual({ outlet_id: r.outlet_id, name: r.name, active: r.active }, { outlet_id: a.id, name: 'Till 1', active: true });
    refused(await shop.api.post('/api/registers', { outlet_id: a.id, name: 'Till 1' }), 409, 'name');
    refused(await shop.api.post('/api/registers', { outlet_id: 2147483647, name: 'Till 1' }), 400, 'outlet_id', /does not exist/);
    refused(await shop.api.post('/api/registers', { name: 'Till 1' }), 400, 'outlet_id');
    await register(b.id, 'Till 1');
    refused(await shop.api.patch(`/api/registers/${r.id}`, { outlet_id: b.id }), 409, 'name', /already named "Till 1"/);
    const moved = await shop.api.patch(`/api/registers/${r.id}`, { outlet_id: b.id, name: 'Till 2' });
    assert.equal(moved.status, 200, JSON.stringify(moved.data));
    assert.deepEqual({ outlet_id: moved.data.outlet_id, name: moved.data.name }, { outlet_id: b.id, name: 'Till 2' });
  });

  it('a deactivated register records no sale, refund or exchange (400 naming register_id, nothing written), and sells again once activated', async () => {
    const r = await register(shop.outletId);
    const sku = uniqueSku('REG');
    assert.equal((await shop.api.post('/api/products', simpleProduct(sku, { channels: ['in_store'] }))).status, 201);
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 5 }] });
    assert.equal((await shop.api.patch(`/api/registers/${r.id}`, { active: false })).data.active, false);

    const sales = await count('sales');
    const line = [{ sku, quantity: 1 }];
    refused(await shop.api.post('/api/sales', { register_id: r.id, lines: line }), 400, 'register_id', /deactivated/);
    refused(await shop.api.post('/api/refunds', { register_id: r.id, lines: line }), 400, 'register_id', /deactivated/);
    refused(await shop.api.post('/api/exchanges', { register_id: r.id, returned: line, sold: line }), 400, 'register_id', /deactivated/);
    assert.equal(await count('sales'), sales, 'nothing written');

    assert.equal((await shop.api.patch(`/api/registers/${r.id}`, { active: true })).status, 200);
    assert.equal((await shop.api.post('/api/sales', { register_id: r.id, lines: line })).status, 201);
  });

  it("refuses to deactivate or move an active connection's register, and its outlet", async () => {
    const elsewhere = await outlet();
    refused(await shop.api.patch(`/api/registers/${shop.registerId}`, { active: false }), 409, 'active', new RegExp(shop.connectionId));
    refused(await shop.api.patch(`/api/registers/${shop.registerId}`, { outlet_id: elsewhere.id }), 409, 'outlet_id', new RegExp(shop.connectionId));
    refused(await shop.api.patch(`/api/outlets/${shop.outletId}`, { active: false }), 409, 'active', new RegExp(shop.connectionId));
    const reg = await stack.db('registers').where({ id: shop.registerId }).first('active', 'outlet_id');
    assert.deepEqual(reg, { active: true, outlet_id: shop.outletId });
    assert.equal((await stack.db('outlets').where({ id: shop.outletId }).first('active')).active, true);
  });

  it('deactivates an outlet only once its registers are; a deactivated outlet takes no register', async () => {
    const o = await outlet();
    const r = await register(o.id);
    refused(await shop.api.patch(`/api/outlets/${o.id}`, { active: false }), 409, 'active', new RegExp(`active register\\(s\\) ${r.id}`));
    assert.equal((await shop.api.patch(`/api/registers/${r.id}`, { active: false })).status, 200);
    const closed = await shop.api.patch(`/api/outlets/${o.id}`, { active: false });
    assert.equal(closed.status, 200, JSON.stringify(closed.data));
    assert.equal(closed.data.active, false);
    refused(await shop.api.post('/api/registers', { outlet_id: o.id, name: 'Late till' }), 400, 'outlet_id', /deactivated/);
    refused(await shop.api.patch(`/api/registers/${r.id}`, { active: true }), 409, 'active', /deactivated/);
    refused(await shop.api.patch(`/api/registers/${(await register(shop.otherOutletId)).id}`, { outlet_id: o.id }), 400, 'outlet_id', /deactivated/);
  });

  it('runs each write once per Idempotency-Key; the same key on another register is refused', async () => {
    const key = crypto.randomUUID();
    const n = name('Idem');
    const before = await count('outlets');
    const [first, second] = await Promise.all([1, 2].map(() => shop.api.post('/api/outlets', { name: n }, { headers: { 'Idempotency-Key': key } })));
    assert.equal(first!.status, 201, JSON.stringify(first!.data));
    assert.deepEqual(second!.data, first!.data);
    assert.equal(await count('outlets'), before + 1);

    const r1 = await register(first!.data.id);
    const r2 = await register(first!.data.id);
    const patchKey = crypto.randomUUID();
    assert.equal((await shop.api.patch(`/api/registers/${r1.id}`, { name: 'Front' }, { headers: { 'Idempotency-Key': patchKey } })).status, 200);
    const again = await shop.api.patch(`/api/registers/${r1.id}`, { name: 'Front' }, { headers: { 'Idempotency-Key': patchKey } });
    assert.equal(again.headers['idempotent-replayed'], 'true');
    refused(await shop.api.patch(`/api/registers/${r2.id}`, { name: 'Front' }, { headers: { 'Idempotency-Key': patchKey } }), 409, 'Idempotency-Key');
  });

  it('possync outlets / registers create, rename, deactivate and list', async () => {
    const o = name('CLI outlet');
    const created = await possync(stack, ['outlets', 'create', o]);
    assert.equal(created.code, 0, created.stderr);
    const id = Number(/outlet (\d+)/.exec(created.stdout)![1]);
    const reg = await possync(stack, ['registers', 'create', o, 'CLI till']);
    assert.equal(reg.code, 0, reg.stderr);
    const regId = Number(/register (\d+)/.exec(reg.stdout)![1]);
    assert.equal((await possync(stack, ['registers', 'rename', String(regId), 'CLI till 2'])).code, 0);

    const refusedCli = await possync(stack, ['outlets', 'deactivate', String(id)]);
    assert.notEqual(refusedCli.code, 0);
    assert.match(refusedCli.stderr, /still has active register\(s\)/);
    assert.equal((await possync(stack, ['registers', 'deactivate', String(regId)])).code, 0);
    assert.equal((await possync(stack, ['outlets', 'deactivate', String(id)])).code, 0);

    const list = await possync(stack, ['outlets']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${id}  ${o}  \\(deactivated\\)  registers: ${regId} CLI till 2 \\(deactivated\\)`));
    assert.match((await possync(stack, ['registers', 'list'])).stdout, new RegExp(`${regId}  CLI till 2  at ${o}`));
  });
});
