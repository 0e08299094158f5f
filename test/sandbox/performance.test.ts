import assert from 'node:assert/strict';
import { useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: a large catalog', function () {
  this.timeout(120_000);
  const sandbox = useSandbox();
  const parents: number[] = [];

  it('holds 10,000 products and 8,000 variations and answers pages, SKU lookups, updates and filters over it', async () => {
    const sb = sandbox();
    for (let batch = 0; batch < 100; batch++) {
      const create = Array.from({ length: 100 }, (_, i) => {
        const n = batch * 100 + i;
        return n < 800
          ? { name: `Variable ${n}`, type: 'variable', sku: `V-${n}`, attributes: [{ name: 'Size', variation: true, options: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] }] }
          : { name: `Simple ${n}`, sku: `S-${n}`, regular_price: '9.99', manage_stock: true, stock_quantity: n % 7 };
      });
      const res = await woo(sb, { method: 'POST', path: '/products/batch', body: { create } });
      assert.equal(res.status, 200);
      for (const p of res.body.create) if (p.type === 'variable') parents.push(p.id);
    }
    for (const pid of parents) {
      const create = Array.from({ length: 10 }, (_, i) => ({
        sku: `V-${pid}-${i + 1}`,
        regular_price: '19.00',
        manage_stock: true,
        stock_quantity: i,
        attributes: [{ name: 'Size', option: String(i + 1) }],
      }));
      const res = await woo(sb, { method: 'POST', path: `/products/${pid}/variations/batch`, body: { create } });
      assert.equal(res.status, 200);
    }
    const total = await woo(sb, { path: '/products', query: { per_page: 1 } });
    assert.equal(total.headers.get('x-wp-total'), '10000');

    // Per-request costs at this size are measured by `npm run bench -- sandbox`; here, the answers.
    const page = await woo(sb, { path: '/products', query: { per_page: 10, page: 7 } });
    assert.equal(page.body.length, 10);
    assert.equal(page.headers.get('x-wp-totalpages'), '1000');
    const variation = await woo(sb, { path: '/products', query: { sku: `V-${parents[5]}-3` } });
    assert.deepEqual(variation.body.map((p: any) => [p.parent_id, p.sku]), [[parents[5], `V-${parents[5]}-3`]]);
    const simpleId = parents.length + 100;
    const updated = await woo(sb, { method: 'PUT', path: `/products/${simpleId}`, body: { stock_quantity: 0 } });
    assert.equal(updated.status, 200);
    const out = await woo(sb, { path: '/products', query: { per_page: 100, stock_status: 'outofstock', orderby: 'modified' } });
    assert.equal(out.body[0].id, simpleId, 'the product just emptied is the most recently modified out-of-stock one');
    assert.ok(out.body.every((p: any) => p.stock_status === 'outofstock'));
  });
});
