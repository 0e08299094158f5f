import assert from 'node:assert/strict';
import type { WooSandbox } from '../../sandbox/woocommerce';
import { useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

/** 40 simple products (half with managed stock) and 10 variable ones with 3 variations each. */
async function catalog(sb: WooSandbox): Promise<void> {
  const create = Array.from({ length: 50 }, (_, i) =>
    i < 40
      ? { name: `Simple ${i}`, sku: `S-${i}`, regular_price: `${10 + i}.50`, manage_stock: i % 2 === 0, stock_quantity: 100 }
      : { name: `Variable ${i}`, type: 'variable', sku: `V-${i}`, attributes: [{ name: 'Size', variation: true, options: ['S', 'M', 'L'] }] },
  );
  const res = await woo(sb, { method: 'POST', path: '/products/batch', body: { create } });
  for (const p of res.body.create.filter((x: any) => x.type === 'variable')) {
    const variations = ['S', 'M', 'L'].map((size) => ({ sku: `${p.sku}-${size}`, regular_price: '25.00', manage_stock: true, stock_quantity: 50, attributes: [{ name: 'Size', option: size }] }));
    await woo(sb, { method: 'POST', path: `/products/${p.id}/variations/batch`, body: { create: variations } });
  }
}

describe('WooCommerce sandbox: seeding orders', function () {
  this.timeout(60_000);
  const sandbox = useSandbox();

  it('seeds orders over the shop products, deterministically, without touching stock', async () => {
    await catalog(sandbox());
    const stockBefore = sandbox().state.products().map((p: any) => p.stock_quantity);
    const opts = { count: 300, createdBefore: new Date('2026-06-01T00:00:00Z'), createdAfter: new Date('2026-01-01T00:00:00Z'), seed: 7 };
    const { ids } = sandbox().seedOrders(opts);
    assert.equal(ids.length, 300);
    const orders = sandbox().state.orders();
    assert.deepEqual(orders.map((o: any) => o.id), ids);
    const created = orders.map((o: any) => o.date_created_gmt);
    assert.deepEqual(created, [...created].sort(), 'ids follow the creation dates');
    assert.ok(created.every((d: string) => d >= '2026-01-01T00:00:00' && d < '2026-06-01T00:00:00'));
    for (const o of orders) {
      assert.ok(o.line_items.length >= 1 && o.line_items.length <= 5);
      assert.ok(o.line_items.every((l: any) => typeof l.sku === 'string' && typeof l.price === 'number'));
      if (o.status === 'completed') assert.ok(o.date_completed_gmt >= o.date_created_gmt && o.date_modified_gmt === o.date_completed_gmt);
      else if (o.status !== 'refunded') assert.equal(o.date_modified_gmt, o.date_created_gmt);
      const sum = o.line_items.reduce((s: number, l: any) => s + Number(l.total), 0) + Number(o.shipping_total);
      assert.equal(o.total, sum.toFixed(2));
    }
    const statuses = new Set(orders.map((o: any) => o.status));
    for (const s of ['completed', 'processing']) assert.ok(statuses.has(s), `has ${s}`);
    assert.ok(orders.some((o: any) => o.line_items.some((l: any) => l.variation_id !== 0)), 'variation lines');
    assert.deepEqual(sandbox().state.products().map((p: any) => p.stock_quantity), stockBefore, 'seeding moves no stock');
    const first = JSON.stringify(orders);
    sandbox().reset();
    await catalog(sandbox());
    sandbox().seedOrders(opts);
    assert.equal(JSON.stringify(sandbox().state.orders()), first, 'same seed, same orders');
  });

  it('adds unknown products as real shop products and lines whose product is deleted afterwards', async () => {
    await catalog(sandbox());
    const missingSkus = [
      { sku: 'POS-UNKNOWN-1', name: 'Gift card', price: '25.00' },
      { sku: 'POS-UNKNOWN-2', name: 'Sticker', price: '2.50' },
    ];
    sandbox().seedOrders({ count: 200, createdBefore: new Date(), missingSkus, deletedProductRate: 0.1, seed: 3 });
    for (const m of missingSkus) {
      const p = sandbox().state.findBySku(m.sku);
      assert.equal(p.name, m.name);
      assert.equal(p.regular_price, m.price);
    }
    const lines = sandbox().state.orders().flatMap((o: any) => o.line_items);
    for (const m of missingSkus) assert.ok(lines.some((l: any) => l.sku === m.sku), `${m.sku} is sold`);
    const withNull = sandbox().state.orders().filter((o: any) => o.line_items.some((l: any) => l.sku === null));
    assert.equal(withNull.length, 20);
    const gone = withNull[0].line_items.find((l: any) => l.sku === null);
    assert.equal(sandbox().state.product(gone.product_id), undefined, 'the product is deleted');
    assert.match(gone.name, /^Discontinued item/);
  });

  // Seeding time and per-request costs at this size are measured by `npm run bench -- sandbox`.
  it('seeds 20,000 orders and pages through them newest first', async () => {
    await catalog(sandbox());
    const { ids } = sandbox().seedOrders({ count: 20_000, createdBefore: new Date(), linesPerOrder: [2, 4], seed: 11 });
    assert.equal(ids.length, 20_000);
    const lines = sandbox().state.order(ids[0]!).line_items.length;
    assert.ok(lines >= 2 && lines <= 4);
    const sb = sandbox();
    const page = await woo(sb, { path: '/orders', query: { per_page: 100 } });
    assert.equal(page.body.length, 100);
    assert.equal(page.headers.get('x-wp-total'), String(sandbox().state.orders().filter((o: any) => !['trash', 'checkout-draft'].includes(o.status)).length));
    const dates = page.body.map((o: any) => o.date_created_gmt);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
    const later = await woo(sb, { path: '/orders', query: { per_page: 100, page: 2 } });
    assert.ok(later.body[0].date_created_gmt <= dates[99], 'page 2 continues where page 1 ended');
  });
});
