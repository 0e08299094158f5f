import assert from 'node:assert/strict';
import { WooApiError, WooClient } from '../../activities/woocommerce';
import { StubServer, fixture, fixtureRequestBody, json } from './stub-server';

const CK = 'ck_0123456789abcdef0123456789abcdef01234567';
const CS = 'cs_fedcba9876543210fedcba9876543210fedcba98';

function productLike(id: number, sku: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, sku, type: 'simple', parent_id: 0, ...extra };
}

describe('WooCommerce client reads', () => {
  let stub: StubServer;
  let client: WooClient;

  beforeEach(async () => {
    stub = await StubServer.start();
    client = new WooClient({ baseUrl: stub.url, consumerKey: CK, consumerSecret: CS, authMode: 'basic' });
  });
  afterEach(async () => {
    client.close();
    await stub.close();
  });

  it('reads X-WP-Total and X-WP-TotalPages from a product page (fixtures 08, 09)', async () => {
    stub.handler = (req) => fixture(new Map(req.query).get('page') === '2' ? '09' : '08');
    const first = await client.listProducts({ per_page: 2, page: 1, orderby: 'id', order: 'asc' });
    assert.deepEqual(first.items.map((p) => p.id), [10, 11]);
    assert.equal(first.total, 7);
    assert.equal(first.totalPages, 4);
    const second = await client.listProducts({ per_page: 2, page: 2, orderby: 'id', order: 'asc' });
    assert.deepEqual(second.items.map((p) => p.id), [14, 15]);
    assert.equal(second.totalPages, 4);
    assert.equal(stub.requests[0]!.url, '/wp-json/wc/v3/products?per_page=2&page=1&orderby=id&order=asc');
  });

  it('refuses per_page outside 1..100 without sending anything', async () => {
    for (const per_page of [0, 101, 500, 2.5]) {
      await assert.rejects(client.listProducts({ per_page }), (err: unknown) => {
        assert.ok(err instanceof WooApiError);
        assert.equal(err.kind, 'invalid_request');
        assert.equal(err.retryable, false);
        assert.match(err.message, /per_page must be an integer between 1 and 100/);
        return true;
      });
    }
    await assert.rejects(client.listOrders({ per_page: 101 }), /per_page/);
    await assert.rejects(client.getProduct(-1), /positive integer/);
    await assert.rejects(client.listAllVariations(0), /positive integer/);
    await assert.rejects(client.listProducts({ page: 0 }), /page must be an integer >= 1/);
    assert.equal(stub.requests.length, 0);
    assert.equal(client.requestCount, 0);
  });

  it('finds 250 SKUs with 3 requests of at most 100 and returns variations too (fixture 12)', async () => {
    const skus = Array.from({ length: 249 }, (_, i) => `SKU-${i}`).concat('VAR-1795423102-S');
    stub.handler = (req) => {
      const q = new Map(req.query);
      return q.get('sku')?.split(',').includes('VAR-1795423102-S') ? fixture('12') : json(200, [], { 'X-WP-Total': '0', 'X-WP-TotalPages': '0' });
    };
    const found = await client.findBySkus(skus);
    assert.equal(stub.requests.length, 3);
    assert.equal(client.requestCount, 3);
    const lists = stub.requests.map((r) => new Map(r.query).get('sku')!.split(','));
    assert.deepEqual(lists.map((l) => l.length), [100, 100, 50]);
    assert.deepEqual(lists.flat().sort(), [...skus].sort());
    for (const r of stub.requests) assert.equal(new Map(r.query).get('per_page'), '100');
    assert.equal(found.length, 1);
    assert.equal(found[0]!.id, 12);
    assert.equal(found[0]!.type, 'variation');
    assert.equal(found[0]!.parent_id, 11);
  });

  it('follows pages when one SKU chunk matches more than 100 records', async () => {
    stub.handler = (req) => {
      const page = Number(new Map(req.query).get('page') ?? '1');
      const items = page === 1 ? [productLike(1, 'a'), productLike(2, 'A')] : [productLike(3, 'b')];
      return json(200, items, { 'X-WP-Total': '3', 'X-WP-TotalPages': '2' });
    };
    const found = await client.findBySkus(['a', 'b']);
    assert.deepEqual(found.map((p) => p.id), [1, 2, 3]);
    assert.deepEqual(stub.requests.map((r) => new Map(r.query).get('page')), ['1', '2']);
  });

  it('looks up a SKU containing a comma alone and drops the partial matches WooCommerce adds', async () => {
    stub.handler = (req) => {
      const sku = new Map(req.query).get('sku');
      if (sku === 'RED,XL') return json(200, [productLike(5, 'RED'), productLike(6, 'RED,XL')], { 'X-WP-Total': '2', 'X-WP-TotalPages': '1' });
      return json(200, [productLike(7, 'PLAIN')], { 'X-WP-Total': '1', 'X-WP-TotalPages': '1' });
    };
    const found = await client.findBySkus(['PLAIN', 'RED,XL', 'PLAIN', '']);
    assert.deepEqual(stub.requests.map((r) => new Map(r.query).get('sku')), ['PLAIN', 'RED,XL']);
    assert.deepEqual(found.map((p) => p.sku).sort(), ['PLAIN', 'RED,XL']);
  });

  it('lists every variation of a product across pages (fixture 05 shape)', async () => {
    const page1 = JSON.parse(fixture('05').body ?? '[]') as unknown[];
    stub.handler = (req) =>
      new Map(req.query).get('page') === '1'
        ? json(200, page1, { 'X-WP-Total': '3', 'X-WP-TotalPages': '2' })
        : json(200, [{ id: 99, sku: 'VAR-X', parent_id: 11 }], { 'X-WP-Total': '3', 'X-WP-TotalPages': '2' });
    const all = await client.listAllVariations(11);
    assert.deepEqual(all.map((v) => v.id), [13, 12, 99]);
    assert.equal(stub.requests[0]!.path, '/wp-json/wc/v3/products/11/variations');
    assert.equal(new Map(stub.requests[0]!.query).get('per_page'), '100');
  });

  it('lists orders by modified_after in GMT and reads line items (fixture 33, 29)', async () => {
    stub.handler = (req) => (req.path.endsWith('/orders/20') ? fixture('29') : fixture('33'));
    const page = await client.listOrders({ modified_after: '2026-11-23T08:37:28', dates_are_gmt: true, per_page: 10, status: ['processing', 'completed'] });
    assert.equal(page.total, 1);
    assert.equal(page.items[0]!.id, 20);
    const q = new Map(stub.requests[0]!.query);
    assert.equal(q.get('dates_are_gmt'), 'true');
    assert.equal(q.get('status'), 'processing,completed');
    const order = await client.getOrder(20);
    assert.equal(order.line_items.length, 3);
    assert.equal(order.line_items[2]!.price, 11.11);
    assert.equal(order.line_items[1]!.variation_id, 13);
  });

  it('adds and lists order notes and updates an order (fixtures 36, 37, 38)', async () => {
    stub.handler = (req) => (req.method === 'POST' ? fixture('36') : req.method === 'PUT' ? fixture('38') : fixture('37'));
    const note = await client.createOrderNote(20, { note: 'Synced to ERP (rig test)', customer_note: false });
    assert.equal(note.id, 4);
    assert.deepEqual(JSON.parse(stub.requests[0]!.body), JSON.parse(fixtureRequestBody('36')));
    const notes = await client.listOrderNotes(20);
    assert.deepEqual(notes.map((n) => n.id), [4, 2, 3]);
    const updated = await client.updateOrder(20, { status: 'completed' });
    assert.equal(updated.status, 'completed');
    assert.deepEqual(stub.requests.map((r) => `${r.method} ${r.path}`), [
      'POST /wp-json/wc/v3/orders/20/notes',
      'GET /wp-json/wc/v3/orders/20/notes',
      'PUT /wp-json/wc/v3/orders/20',
    ]);
  });

  it('deletes with force only when asked (fixtures 58, 59)', async () => {
    stub.handler = (req) => (new Map(req.query).get('force') === 'true' ? fixture('59') : fixture('58'));
    // Both answers echo the item as it was before the delete.
    assert.equal((await client.deleteProduct(16)).status, 'publish');
    assert.equal((await client.deleteProduct(17, { force: true })).status, 'trash');
    assert.deepEqual(stub.requests.map((r) => r.url), ['/wp-json/wc/v3/products/16', '/wp-json/wc/v3/products/17?force=true']);
    assert.ok(stub.requests.every((r) => r.method === 'DELETE'));
  });
});
