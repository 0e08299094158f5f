import assert from 'node:assert/strict';
import { useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

/** Issue 9 "Scale out": the sandbox tells when two writes of one product were in flight at once. */
describe('WooCommerce sandbox: overlapping writes of a product', () => {
  const sandbox = useSandbox();

  async function product(sku: string): Promise<number> {
    const r = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: sku, sku, manage_stock: true, stock_quantity: 5 } });
    assert.equal(r.status, 201);
    return r.body.id as number;
  }

  it('counts a write that arrives while another write of the same product (single or batched) is in flight', async () => {
    const a = await product('OVL-A');
    const b = await product('OVL-B');
    sandbox().setConcurrency(8);
    sandbox().setLatency({ perRequestMs: 200 });
    sandbox().resetStats();
    await Promise.all([
      woo(sandbox(), { method: 'PUT', path: `/products/${a}`, body: { stock_quantity: 4 } }),
      woo(sandbox(), { method: 'POST', path: '/products/batch', body: { update: [{ id: a, stock_quantity: 3 }] } }),
      woo(sandbox(), { method: 'GET', path: `/products/${a}` }),
    ]);
    assert.equal(sandbox().stats().overlappingWrites, 1);
    assert.deepEqual(sandbox().stats().overlappingWritesByProductId, { [a]: 1 });
    // One after the other, or different products at once: no overlap.
    sandbox().resetStats();
    await woo(sandbox(), { method: 'PUT', path: `/products/${a}`, body: { stock_quantity: 2 } });
    await woo(sandbox(), { method: 'PUT', path: `/products/${a}`, body: { stock_quantity: 1 } });
    await Promise.all([
      woo(sandbox(), { method: 'PUT', path: `/products/${a}`, body: { stock_quantity: 0 } }),
      woo(sandbox(), { method: 'PUT', path: `/products/${b}`, body: { stock_quantity: 0 } }),
    ]);
    assert.equal(sandbox().stats().overlappingWrites, 0);
  });
});
