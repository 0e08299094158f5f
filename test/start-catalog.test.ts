// Issue 6 point 4: `npm start` pushes the whole catalog only to a new connection.
import assert from 'node:assert/strict';
import { prepareConnectionForStart } from '../stack/connection-start';
import { useTestStack } from './helpers/suite-setup';

describe('npm start pushes the catalog only to a new connection (issue 6 point 4)', function () {
  const stack = useTestStack();
  let connectionId: string;
  let productId: number;
  const url = 'http://shop.example';

  beforeEach(async () => {
    connectionId = `start-${process.pid}-${Date.now() % 1_000_000}`;
    const [outlet] = await stack.db('outlets').insert({ name: `Outlet ${connectionId}` }, ['id']);
    const [register] = await stack.db('registers').insert({ outlet_id: outlet.id, name: `Register ${connectionId}` }, ['id']);
    await stack.db('connections').insert({ id: connectionId, kind: 'woocommerce', name: 'start test', base_url: url, register_id: register.id, active: false });
    const [p] = await stack.db('products').insert({ sku: `START-${connectionId}`, name: 'x', type: 'simple', retail_price: 1, channels: ['in_store'] }, ['id']);
    productId = p.id;
  });
  const links = async () => Number((await stack.db('product_links').where({ connection_id: connectionId }).count({ n: '*' }))[0]!.n);
  const link = () => stack.db('product_links').insert({ connection_id: connectionId, product_id: productId, remote_id: 77 });

  it('a connection without links is new', async () => {
    assert.deepEqual(await prepareConnectionForStart(stack.db, { connectionId, storeUrl: url, previousUrl: url, freshStore: false }), { isNew: true });
  });

  it('a restart against the same store re-pushes nothing and keeps the links', async () => {
    await link();
    assert.deepEqual(await prepareConnectionForStart(stack.db, { connectionId, storeUrl: url, previousUrl: url, freshStore: false }), { isNew: false });
    assert.equal(await links(), 1);
  });

  it('another store URL, or a sandbox that starts empty, makes it new and drops the links into the old store', async () => {
    await link();
    assert.deepEqual(await prepareConnectionForStart(stack.db, { connectionId, storeUrl: 'http://other.example', previousUrl: url, freshStore: false }), { isNew: true });
    assert.equal(await links(), 0);
    await link();
    assert.deepEqual(await prepareConnectionForStart(stack.db, { connectionId, storeUrl: url, previousUrl: url, freshStore: true }), { isNew: true });
    assert.equal(await links(), 0);
  });
});
