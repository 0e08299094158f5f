import assert from 'node:assert/strict';
import { simpleProduct, uniqueSku, variableProduct, waitFor } from './helpers/shop';
import { useShop, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/** Rules M-A1..M-A4: the POS is the system of record and every change reaches WooCommerce. */
describe('WooCommerce push (M-A1..M-A4)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);

  async function saveProduct(body: unknown): Promise<number> {
    const res = await shop.api.post('/api/products', body);
    assert.ok(res.status === 201 || res.status === 200, `save product answered ${res.status}: ${JSON.stringify(res.data)}`);
    return res.data.id;
  }

  async function receive(sku: string, received: number, outletId = shop.outletId): Promise<void> {
    const res = await shop.api.post('/api/stock-orders', { outlet_id: outletId, reference: 'PO-1', lines: [{ sku, received }] });
    assert.equal(res.status, 201, JSON.stringify(res.data));
  }

  async function posStock(sku: string, outletId = shop.outletId): Promise<number> {
    const item = await stack.db('products').where({ sku }).first('id');
    const variant = item ? undefined : await stack.db('variants').where({ sku }).first('id', 'product_id');
    const q = stack.db('inventory').where({ outlet_id: outletId });
    const row = item ? await q.where({ product_id: item.id }).whereNull('variant_id').first('quantity') : await q.where({ variant_id: variant.id }).first('quantity');
    return row ? Number(row.quantity) : 0;
  }

  const shopProduct = (sku: string) => shop.sandbox.state.findBySku(sku);

  async function shopStockBecomes(sku: string, expected: number): Promise<void> {
    await waitFor(`shop stock of ${sku} to be ${expected}`, () => shopProduct(sku)?.stock_quantity === expected);
  }

  it('a sale lowers the shop stock to exactly the POS stock of the connection outlet (M-A1, M-A2)', async () => {
    const sku = uniqueSku('SALE');
    await saveProduct(simpleProduct(sku));
    await receive(sku, 10);
    await receive(sku, 50, shop.otherOutletId); // another outlet's stock is not the shop's
    await shopStockBecomes(sku, 10);
    const sale = await shop.api.post('/api/sales', { register_id: shop.registerId, lines: [{ sku, quantity: 3 }] });
    assert.equal(sale.status, 201, JSON.stringify(sale.data));
    assert.equal(await posStock(sku), 7);
    await shopStockBecomes(sku, 7);
  });

  it('pushes after every kind of POS change: save, CSV import, sale, refund, exchange, count, order, transfer, adjustment (M-A2)', async () => {
    const a = uniqueSku('OPS');
    const b = uniqueSku('OPS');
    await saveProduct(simpleProduct(a));
    await saveProduct(simpleProduct(b));
    await receive(a, 20);
    await receive(b, 20);
    await shopStockBecomes(a, 20);
    const steps: [string, string, unknown, Record<string, number>][] = [
      ['sale', '/api/sales', { register_id: shop.registerId, lines: [{ sku: a, quantity: 2 }] }, { [a]: 18 }],
      ['refund', '/api/refunds', { register_id: shop.registerId, lines: [{ sku: a, quantity: 1 }] }, { [a]: 19 }],
      ['exchange', '/api/exchanges', { register_id: shop.registerId, returned: [{ sku: a, quantity: 1 }], sold: [{ sku: b, quantity: 1 }] }, { [a]: 20, [b]: 19 }],
      ['stock count', '/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: a, counted: 12 }] }, { [a]: 12 }],
      ['stock order', '/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku: a, received: 5 }] }, { [a]: 17 }],
      ['transfer', '/api/stock-transfers', { from_outlet_id: shop.outletId, to_outlet_id: shop.otherOutletId, lines: [{ sku: a, quantity: 4 }] }, { [a]: 13 }],
      ['adjustment', '/api/stock-adjustments', { outlet_id: shop.outletId, reason: 'damaged', lines: [{ sku: b, delta: -3 }] }, { [b]: 16 }],
    ];
    for (const [name, url, body, expected] of steps) {
      const res = await shop.api.post(url, body);
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.data)}`);
      for (const [sku, qty] of Object.entries(expected)) {
        assert.equal(await posStock(sku), qty, `POS stock of ${sku} after ${name}`);
        await shopStockBecomes(sku, qty);
      }
    }
    await saveProduct(simpleProduct(a, { name: 'Renamed by edit product' }));
    await waitFor('the new name in the shop', () => shopProduct(a)?.name === 'Renamed by edit product');
    const csv = `sku,name,retail_price\n${b},Renamed by CSV,7.50\n`;
    const imp = await shop.api.post('/api/products/import', csv, { headers: { 'content-type': 'text/csv' } });
    assert.equal(imp.status, 201, JSON.stringify(imp.data));
    await waitFor('the CSV name and price in the shop', () => shopProduct(b)?.name === 'Renamed by CSV' && shopProduct(b)?.regular_price === '7.50');
  });

  it('sends every POS-owned field, and an empty POS description empties the shop description (M-A3)', async () => {
    const sku = uniqueSku('DESC');
    await saveProduct(simpleProduct(sku));
    await waitFor('the product in the shop', () => shopProduct(sku)?.description?.includes('<strong>formatted</strong>'));
    await saveProduct(simpleProduct(sku, { description: '', retail_price: 5 }));
    await waitFor('an empty description in the shop', () => shopProduct(sku)?.description === '');
    const p = shopProduct(sku);
    assert.equal(p.name, `Product ${sku}`);
    assert.equal(p.regular_price, '5.00');
    assert.equal(p.sku, sku);
    assert.equal(p.manage_stock, true);
  });

  it('keeps weight and categories edited in WooCommerce, and overwrites any other field (M-A4)', async () => {
    const sku = uniqueSku('KEEP');
    await saveProduct(simpleProduct(sku, { weight: 1.5 }));
    const remote = await waitFor('the product in the shop', () => shopProduct(sku));
    assert.equal(remote.weight, '1.5', 'a new shop product starts with the POS weight (issue 6 point 7)');
    shop.sandbox.state.editProduct(remote.id, { weight: '2.75', categories: [{ id: 77 }], name: 'Edited in wp-admin', regular_price: '1.00' });
    await receive(sku, 3);
    await shopStockBecomes(sku, 3);
    const after = shopProduct(sku);
    assert.equal(after.weight, '2.75');
    assert.deepEqual(after.categories.map((c: { id: number }) => c.id), [77]);
    assert.equal(after.name, `Product ${sku}`);
    assert.equal(after.regular_price, '19.99');
    await saveProduct(simpleProduct(sku, { weight: 4, description: 'Edited in the POS' }));
    await waitFor('the POS edit in the shop', () => shopProduct(sku)?.description === 'Edited in the POS');
    assert.equal(shopProduct(sku).weight, '2.75', 'after creation the POS weight is never pushed');
  });

  it('creates a variable product with its variations, each with its own POS stock', async () => {
    const sku = uniqueSku('VAR');
    await saveProduct(variableProduct(sku));
    await shop.api.post('/api/stock-orders', { outlet_id: shop.outletId, lines: [{ sku: `${sku}-S`, received: 4 }, { sku: `${sku}-XL`, received: 9 }] });
    const parent = await waitFor('the parent in the shop', () => shopProduct(sku));
    assert.equal(parent.type, 'variable');
    await waitFor('variation stock', () => shop.sandbox.state.findBySku(`${sku}-XL`)?.stock_quantity === 9);
    const variations = shop.sandbox.state.variations(parent.id);
    assert.equal(variations.length, 4);
    assert.equal(shop.sandbox.state.findBySku(`${sku}-S`).stock_quantity, 4);
    assert.equal(shop.sandbox.state.findBySku(`${sku}-M`).stock_quantity, 0);
    await waitFor('the parent and 4 variations linked', async () =>
      (await stack.db('product_links').where({ connection_id: shop.connectionId }).join('products', 'products.id', 'product_links.product_id').where('products.sku', sku)).length === 5);
  });
});
