import assert from 'node:assert/strict';
import { simpleProduct, uniqueSku } from './helpers/shop';
import { useShop, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

describe('bad input is refused with the field named, and nothing is written', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

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

  describe('numbers, bytes and sizes the database cannot hold (issue 7.14)', () => {
    let sku: string;
    before(async () => {
      sku = uniqueSku('RANGE');
      assert.equal((await shop.api.post('/api/products', simpleProduct(sku))).status, 201);
      assert.equal((await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku, received: 5 }] })).status, 201);
    });

    async function refused(url: string, body: unknown, field: string | RegExp, message: RegExp, headers: Record<string, string> = {}) {
      const before = await counts();
      const res = await shop.api.post(url, body, { headers });
      assert.equal(res.status, 400, `${url}: ${res.status} ${JSON.stringify(res.data).slice(0, 500)}`);
      const problem = res.data.problems.find((p: { field: string }) => (typeof field === 'string' ? p.field === field : field.test(p.field)));
      assert.ok(problem, `no problem for ${String(field)} in ${JSON.stringify(res.data.problems)}`);
      assert.match(problem.message, message);
      assert.deepEqual(await counts(), before, `${url}: nothing written`);
      return res;
    }

    it('refuses register_id 2147483648', async () => {
      await refused('/api/sales', { register_id: 2147483648, lines: [{ sku, quantity: 1 }] }, 'register_id', /at most 2147483647/);
    });

    it('refuses a count of 1e10', async () => {
      await refused('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 1e10 }] }, 'lines[0].counted', /at most 2147483647/);
    });

    it('refuses an adjustment of 3e9', async () => {
      await refused('/api/stock-adjustments', { outlet_id: shop.outletId, reason: 'x', lines: [{ sku, delta: 3e9 }] }, 'lines[0].delta', /between/);
    });

    it('refuses line quantities that add up past 2^31', async () => {
      const lines = Array.from({ length: 2200 }, () => ({ sku, received: 1_000_000 }));
      await refused('/api/stock-orders', { outlet_id: shop.outletId, lines }, 'lines', /add up to 2200000000/);
    });

    it('refuses a change that would take a stock level past the integer range, naming the problem', async () => {
      const big = uniqueSku('RANGE');
      assert.equal((await shop.api.post('/api/products', simpleProduct(big))).status, 201);
      assert.equal((await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: big, counted: 2_147_000_000 }] })).status, 201);
      await refused('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku: big, received: 1_000_000 }] }, 'body', /past the range/);
    });

    it('refuses a NUL byte in a SKU, naming the field', async () => {
      await refused('/api/sales', { register_id: shop.registerId, lines: [{ sku: `${sku}\u0000`, quantity: 1 }] }, 'lines[0].sku', /NUL/);
      await refused('/api/products', simpleProduct(`NUL\u0000${uniqueSku('X')}`), 'sku', /NUL/);
    });

    it('refuses a sale of more lines than the cap (documented in the README)', async () => {
      const lines = Array.from({ length: 1001 }, () => ({ sku, quantity: 1 }));
      await refused('/api/sales', { register_id: shop.registerId, lines }, 'lines', /more than 1000 lines/);
    });

    it('answers GET /api/products?limit=-1 with 400 naming limit', async () => {
      for (const limit of ['-1', '0', 'abc', '501']) {
        const res = await shop.api.get(`/api/products?limit=${limit}`);
        assert.equal(res.status, 400, `limit=${limit}: ${res.status}`);
        assert.equal(res.data.problems[0].field, 'limit');
      }
      assert.equal((await shop.api.get('/api/products?limit=2')).status, 200);
    });

    it('answers GET /api/products/99999999999 with 404', async () => {
      const res = await shop.api.get('/api/products/99999999999');
      assert.equal(res.status, 404);
      assert.match(res.data.message, /99999999999 does not exist/);
      assert.equal((await shop.api.get('/api/products/99999999999/sync-log')).status, 200);
    });

    it('refuses a Latin-1 CSV that does not say so, naming the line and column; honours a declared charset', async () => {
      const good = uniqueSku('L1');
      const text = `sku,name,retail_price\n${good},Caf\u00e9 cr\u00e8me,3.5\n`;
      const latin1 = Buffer.from(text, 'latin1');
      const res = await refused('/api/products/import', latin1, 'csv', /byte 0xE9 is not UTF-8/, { 'content-type': 'text/csv' });
      assert.equal(res.data.problems[0].line, 2);
      assert.equal(res.data.problems[0].column, String(`${good},Caf`.length + 1));
      assert.equal(await stack.db('products').where({ sku: good }).first(), undefined);

      const declared = await shop.api.post('/api/products/import', latin1, { headers: { 'content-type': 'text/csv; charset=iso-8859-1' } });
      assert.equal(declared.status, 201, JSON.stringify(declared.data));
      assert.equal((await stack.db('products').where({ sku: good }).first('name')).name, 'Caf\u00e9 cr\u00e8me');

      const unknown = await shop.api.post('/api/products/import', latin1, { headers: { 'content-type': 'text/csv; charset=x-no-such' } });
      assert.equal(unknown.status, 415);
    });
  });
});
