import assert from 'node:assert/strict';
import { testStack } from './helpers/test-stack';
import { freshShop, simpleProduct, uniqueSku, type TestShop } from './helpers/shop';
import type { Stack } from '../stack/start';

describe('bad input is refused with the field named, and nothing is written', function () {
  this.timeout(60_000);
  let stack: Stack;
  let shop: TestShop;

  before(async function () {
    this.timeout(180_000);
    stack = await testStack();
    shop = await freshShop(stack);
  });
  after(async () => shop?.sandbox.close());

  async function counts() {
    // push_outbox is left out: the dispatcher drains it concurrently.
    const tables = ['products', 'variants', 'sales', 'stock_movements', 'inventory', 'stock_documents'];
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await stack.db(t).count({ n: '*' }))[0]!.n);
    return out;
  }

  it('refuses a CSV with bad lines, naming each line and column, and imports none of it', async () => {
    const before = await counts();
    const good = uniqueSku('CSV');
    const csv = [
      'sku,name,retail_price,parent_sku,option1_name,option1_value',
      `${good},Fine product,9.99,,,`,
      `${uniqueSku('CSV')},,4.00,,,`,
      `${uniqueSku('CSV')},Bad price,abc,,,`,
      `${uniqueSku('CSV')},Orphan variant,5,NOPE-PARENT,Size,S`,
    ].join('\n');
    const res = await shop.api.post('/api/products/import', csv, { headers: { 'content-type': 'text/csv' } });
    assert.equal(res.status, 400);
    const problems: { line: number; column: string; message: string }[] = res.data.problems;
    assert.ok(problems.some((p) => p.line === 3 && p.column === 'name'), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.line === 4 && p.column === 'retail_price'), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.line === 5 && p.column === 'parent_sku'), JSON.stringify(problems));
    assert.match(res.data.message, /line 3/);
    assert.deepEqual(await counts(), before);
    assert.equal(await stack.db('products').where({ sku: good }).first(), undefined, 'the good line was not imported either');
  });

  it('refuses an unknown CSV column and an unknown outlet stock column', async () => {
    const res = await shop.api.post('/api/products/import', 'sku,name,colour,stock:Nowhere\nA,B,red,1\n', { headers: { 'content-type': 'text/csv' } });
    assert.equal(res.status, 400);
    const columns = res.data.problems.map((p: { column: string }) => p.column);
    assert.ok(columns.includes('colour') && columns.includes('stock:Nowhere'), JSON.stringify(res.data.problems));
  });

  it('answers malformed JSON with 400 and writes nothing', async () => {
    const before = await counts();
    const res = await shop.api.post('/api/sales', '{"register_id": 1, "lines": [', {
      headers: { 'content-type': 'application/json' },
      transformRequest: [(d: unknown) => d], // axios would otherwise quote the broken text into a valid JSON string
    });
    assert.equal(res.status, 400);
    assert.equal(res.data.error, 'invalid_json');
    assert.deepEqual(await counts(), before);
  });

  it('refuses a sale on an unknown register, naming register_id, and writes nothing', async () => {
    const sku = uniqueSku('REG');
    assert.equal((await shop.api.post('/api/products', simpleProduct(sku))).status, 201);
    const before = await counts();
    const res = await shop.api.post('/api/sales', { register_id: 999999, lines: [{ sku, quantity: 1 }] });
    assert.equal(res.status, 400);
    assert.equal(res.data.problems[0].field, 'register_id');
    assert.match(res.data.message, /register 999999 does not exist/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses a sale with an unknown SKU on its third line, and applies none of its lines', async () => {
    const sku = uniqueSku('LINE');
    await shop.api.post('/api/products', simpleProduct(sku));
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 5 }] });
    const before = await counts();
    const res = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 1 }, { sku, quantity: 1 }, { sku: 'NO-SUCH-SKU', quantity: 1 }] });
    assert.equal(res.status, 400);
    assert.equal(res.data.problems[0].field, 'lines[2].sku');
    assert.deepEqual(await counts(), before);
  });

  it('names every invalid field of a product', async () => {
    const res = await shop.api.post('/api/products', { sku: '', type: 'variable', name: 'X', retail_price: -1, variants: [{ sku: 'A', retail_price: 'x' }] });
    assert.equal(res.status, 400);
    const fields = res.data.problems.map((p: { field: string }) => p.field);
    assert.ok(fields.includes('sku') && fields.includes('retail_price') && fields.includes('variants[0].retail_price'), JSON.stringify(fields));
  });

  it('refuses variant attribute values the product does not offer', async () => {
    const res = await shop.api.post('/api/products', {
      sku: uniqueSku('ATTR'), type: 'variable', name: 'Shirt', attributes: [{ name: 'Size', options: ['S'] }],
      variants: [{ sku: uniqueSku('ATTR'), retail_price: 1, attributes: [{ name: 'Size', option: 'XXL' }] }],
    });
    assert.equal(res.status, 400);
    assert.equal(res.data.problems[0].field, 'variants[0].attributes[0].option');
  });
});
