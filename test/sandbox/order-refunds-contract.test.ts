// The sandbox's refunds against a recording from a real WooCommerce 8.9.1 store (issue 6.8):
// the same calls, compared field by field once ids, dates and hosts are set aside.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createProduct, useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/woocommerce-real/order-refund.json'), 'utf8'));

const ID_KEYS = new Set(['id', 'product_id']);

/** Ids, dates and links depend on the database and the clock, not on the API's behaviour. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '_links' || k.startsWith('date_')) continue;
      if (ID_KEYS.has(k) && typeof x === 'number') out[k] = 'ID';
      else if (k === 'meta_data' && Array.isArray(x)) out[k] = x.map((m: any) => ({ key: m.key, value: m.key === '_refunded_item_id' ? 'ID' : m.value }));
      else out[k] = normalize(x);
    }
    return out;
  }
  return v;
}

describe('WooCommerce sandbox: refunds as a real WooCommerce 8.9.1 store answers them', () => {
  const sandbox = useSandbox();

  it('matches the recorded refund, order line meta, refund list, payment refund and too large refund', async () => {
    const p = await createProduct(sandbox(), { name: 'Refund fixture', sku: 'RF-1', regular_price: '10', manage_stock: true, stock_quantity: 30 });
    const o = (await woo(sandbox(), { method: 'POST', path: '/orders', body: { status: 'processing', line_items: [{ product_id: p.id, quantity: 3 }] } })).body;
    const post = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/refunds`, body: { amount: '10', api_refund: false, reason: 'broken', line_items: [{ id: o.line_items[0].id, quantity: 1, refund_total: 10 }] } });
    assert.equal(post.status, recorded.create_refund.status);
    assert.deepEqual(normalize(post.body), normalize(recorded.create_refund.body));
    assert.match(String(post.headers.get("location")), /\/wp-json\/wc\/v3\/orders\/\(\?P<order_id>\[\\d\]\+\)\/refunds\/\d+$/);
    const order = (await woo(sandbox(), { path: `/orders/${o.id}` })).body;
    assert.deepEqual(normalize(order.line_items[0].meta_data), normalize(recorded.order_line_item.meta_data));
    assert.deepEqual(normalize(order.refunds), normalize(recorded.order_refunds));
    const list = await woo(sandbox(), { path: `/orders/${o.id}/refunds` });
    assert.deepEqual(normalize(list.body), normalize(recorded.list_refunds.body));
    for (const [name, body] of [['payment_refund', { amount: '10' }], ['too_much', { amount: '100', api_refund: false }]] as const) {
      const res = await woo(sandbox(), { method: 'POST', path: `/orders/${o.id}/refunds`, body });
      assert.deepEqual([res.status, res.body], [recorded[name].status, recorded[name].body], name);
    }
    assert.equal((await woo(sandbox(), { path: `/products/${p.id}` })).body.stock_quantity, recorded.product_stock_after);
  });
});
