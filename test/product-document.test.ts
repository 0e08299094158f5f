import assert from 'node:assert/strict';
import { simpleProduct, uniqueSku, variableProduct, waitFor } from './helpers/shop';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from './helpers/suite-setup';

/** Every field name the API answers, at any depth (the keys of objects, not the values). */
function keysOf(v: unknown, path = '', out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, `${path}[]`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(`${path}${k}`);
      keysOf(x, `${path}${k}.`, out);
    }
  }
  return out;
}

const notSnake = (doc: unknown) => keysOf(doc).filter((k) => !/^[a-z0-9_]+$/.test(k.split('.').pop()!.replace('[]', '')));

/** Issue 8 point 9: one naming style across the API, and a GET document that can be posted back. */
describe('product documents: snake_case reads that can be posted back (issue 8.9)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  async function saved(body: Record<string, unknown>): Promise<number> {
    const res = await shop.api.post('/api/products', body);
    assert.equal(res.status, 201, JSON.stringify(res.data));
    return res.data.id;
  }

  const get = async (id: number) => {
    const res = await shop.api.get(`/api/products/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.data));
    return res.data;
  };

  /** The document without what a push changes on its own (links) : the product as the POS holds it. */
  const held = ({ links: _l, ...rest }: Record<string, unknown>) => rest;

  async function roundTrip(id: number): Promise<void> {
    const doc = await get(id);
    const res = await shop.api.post('/api/products', doc);
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.deepEqual(res.data, { id, created: false, changed: false });
    assert.deepEqual(held(await get(id)), held(doc), 'posting the document back changed nothing, not even the version');
  }

  it('answers GET /api/products/:id in snake_case, with the names POST takes', async () => {
    const id = await saved(simpleProduct(uniqueSku('DOC'), { weight: 1.25, dimensions: { length: 10, width: 5, height: 2 } }));
    const doc = await get(id);
    assert.deepEqual(notSnake(doc), []);
    assert.equal(doc.retail_price, 19.99);
    assert.equal(doc.weight, 1.25);
    for (const k of ['id', 'version', 'stock', 'created_at', 'updated_at', 'inventory', 'links']) assert.ok(k in doc, `GET has ${k}`);
  });

  it('a simple product read from GET posts back unchanged: no new version (so no push)', async () => {
    const sku = uniqueSku('RT');
    const id = await saved(simpleProduct(sku, { weight: 0.5, images: [{ src: 'https://example.com/a.png', alt: 'A' }], dimensions: { length: 1, width: null, height: 3 } }));
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 4 }] });
    await waitFor('the first push in the shop', () => shop.sandbox.state.findBySku(sku)?.stock_quantity === 4);
    await roundTrip(id);
    await roundTrip(id);
  });

  it('a variable product (with a deactivated variant) read from GET posts back unchanged', async () => {
    const sku = uniqueSku('RTV');
    const body = variableProduct(sku, ['S', 'M', 'L']);
    const id = await saved(body);
    // M leaves the document: it is kept, deactivated, and GET still shows it.
    const res = await shop.api.post('/api/products', { ...body, variants: body.variants.filter((v) => !v.sku.endsWith('-M')) });
    assert.equal(res.data.changed, true);
    const doc = await get(id);
    assert.deepEqual(notSnake(doc), []);
    assert.equal(doc.variants.length, 3);
    assert.equal(doc.variants[0].retail_price, 20);
    await roundTrip(id);
    await roundTrip(id);
  });

  it('the same CSV imported again bumps no version', async () => {
    const sku = uniqueSku('CSVRT');
    const csv = `sku,name,retail_price,weight\n${sku},Imported twice,4.5,0.25\n`;
    const post = () => shop.api.post('/api/products/import', csv, { headers: { 'content-type': 'text/csv' } });
    assert.equal((await post()).status, 201);
    const { id, version } = await stack.db('products').where({ sku }).first('id', 'version');
    const again = await post();
    assert.equal(again.status, 201, JSON.stringify(again.data));
    assert.equal(again.data.unchanged, 1);
    assert.equal((await get(id)).version, Number(version));
  });

  it('an edited GET document saves the edit, bumps the version once and pushes it', async () => {
    const sku = uniqueSku('EDIT');
    const id = await saved(simpleProduct(sku));
    const doc = await get(id);
    const res = await shop.api.post('/api/products', { ...doc, name: 'Edited from the GET document', retail_price: 7.5 });
    assert.equal(res.status, 200, JSON.stringify(res.data));
    assert.equal(res.data.changed, true);
    const after = await get(id);
    assert.equal(after.version, doc.version + 1);
    assert.equal(after.name, 'Edited from the GET document');
    await waitFor('the edit in the shop', () => shop.sandbox.state.findBySku(sku)?.regular_price === '7.50');
  });

  it("refuses a GET document whose SKU was changed (400 naming sku): the product's id holds another SKU", async () => {
    const sku = uniqueSku('SKU');
    const id = await saved(simpleProduct(sku));
    const doc = await get(id);
    const other = uniqueSku('SKU2');
    const res = await shop.api.post('/api/products', { ...doc, sku: other });
    assert.equal(res.status, 400, JSON.stringify(res.data));
    assert.equal(res.data.problems[0].field, 'sku');
    assert.equal(await stack.db('products').where({ sku: other }).first('id'), undefined, 'nothing written');
    const missing = await shop.api.post('/api/products', { ...doc, id: 2147483647 });
    assert.equal(missing.status, 400);
    assert.equal(missing.data.problems[0].field, 'id');
    const unknown = await shop.api.post('/api/products', { ...doc, colour: 'red' });
    assert.equal(unknown.status, 400, 'a field that is neither writable nor read-only is still refused');
    assert.equal(unknown.data.problems[0].field, 'body');
    const v = await get(await saved(variableProduct(uniqueSku('VKEY'), ['S'])));
    const typo = await shop.api.post('/api/products', { ...v, variants: [{ ...v.variants[0], retail_prise: 3 }] });
    assert.equal(typo.status, 400, JSON.stringify(typo.data));
    assert.equal(typo.data.problems[0].field, 'variants[0]');
  });

  it('answers every read of the API in snake_case', async () => {
    const sku = uniqueSku('SNAKE');
    const id = await saved(simpleProduct(sku));
    await waitFor('the push', async () => (await stack.db('sync_log').where({ product_id: id }).first('id')) !== undefined);
    const reads = [
      '/api/products', `/api/products?sku=${sku}`, `/api/products/${id}`, `/api/products/${id}/sync-log`, '/api/outlets', '/api/registers',
      '/api/connections', '/api/sync-failures', '/api/health', '/api/health/ready', '/api/health/live',
    ];
    for (const url of reads) {
      const res = await shop.api.get(url);
      assert.ok(res.status < 500, `${url}: ${res.status}`);
      assert.deepEqual(notSnake(res.data), [], `${url} answers snake_case`);
    }
  });
});
