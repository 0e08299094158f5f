import assert from 'node:assert/strict';
import { createProduct, useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: batch endpoints', () => {
  const sandbox = useSandbox();

  it('refuses more than 100 items in total with 413 and applies nothing', async () => {
    const p = await createProduct(sandbox(), { name: 'Keep', regular_price: '1' });
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/products/batch',
      body: {
        create: Array.from({ length: 60 }, (_, i) => ({ name: `New ${i}` })),
        update: [{ id: p.id, regular_price: '2' }],
        delete: Array.from({ length: 40 }, (_, i) => 1000 + i),
      },
    });
    assert.equal(res.status, 413);
    assert.deepEqual(res.body, {
      code: 'woocommerce_rest_request_entity_too_large',
      message: 'Unable to accept more than 100 items for this request.',
      data: { status: 413 },
    });
    assert.equal(sandbox().state.products().length, 1);
    assert.equal(sandbox().state.product(p.id).regular_price, '1');
    const exactly100 = await woo(sandbox(), { method: 'PUT', path: '/products/batch', body: { create: Array.from({ length: 100 }, (_, i) => ({ name: `N${i}` })) } });
    assert.equal(exactly100.status, 200);
    assert.equal(exactly100.body.create.length, 100);
  });

  it('answers 200 with results in input order and per-item errors; creates, then updates, then deletes', async () => {
    const a = await createProduct(sandbox(), { name: 'A', sku: 'A-1' });
    const b = await createProduct(sandbox(), { name: 'B', sku: 'B-1' });
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/products/batch',
      body: {
        // Deletes run last, so the update of b still sees it; the create takes A-1 before the update of a asks for it.
        create: [{ name: 'New', sku: 'NEW-1' }, { name: 'Dup', sku: 'A-1' }],
        update: [{ id: a.id, regular_price: '5' }, { id: 999999, regular_price: '1' }, { id: b.id, sku: 'NEW-1' }, { id: b.id, name: 'B2' }],
        delete: [b.id, 0, 'x', 999999],
      },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['create', 'update', 'delete']);
    assert.equal(res.body.create[0].sku, 'NEW-1');
    assert.deepEqual(res.body.create[1], {
      id: 0,
      error: { code: 'product_invalid_sku', message: 'Invalid or duplicated SKU.', data: { status: 400, resource_id: a.id, unique_sku: 'A-1-1' } },
    });
    assert.equal(res.body.update[0].price, '5');
    assert.deepEqual(res.body.update[1], { id: 999999, error: { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 400 } } });
    assert.equal(res.body.update[2].error.code, 'product_invalid_sku');
    assert.equal(res.body.update[3].name, 'B2');
    assert.equal(res.body.delete.length, 2, 'ids 0 and non-numeric are skipped silently');
    assert.equal(res.body.delete[0].id, b.id);
    assert.equal(res.body.delete[0].name, 'B2', 'the deleted item as it was');
    assert.equal(res.body.delete[1].error.code, 'woocommerce_rest_product_invalid_id');
    assert.equal(res.body.delete[1].error.data.status, 404);
    assert.equal(sandbox().state.product(b.id), undefined, 'batch deletes are permanent');
  });

  it('only answers the parts that were sent', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    const res = await woo(sandbox(), { method: 'POST', path: '/products/batch', body: { update: [{ id: p.id, name: 'B' }] } });
    assert.deepEqual(Object.keys(res.body), ['update']);
    const empty = await woo(sandbox(), { method: 'POST', path: '/products/batch', body: {} });
    assert.deepEqual(empty.body, []);
  });

  it('does not validate batch items like single requests: values are converted the PHP way', async () => {
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/products/batch',
      body: { create: [{ name: 'Loose', regular_price: 12.5, manage_stock: 'yes', stock_quantity: '7 pcs' }] },
    });
    assert.equal(res.body.create[0].regular_price, '12.5');
    assert.equal(res.body.create[0].manage_stock, true);
    assert.equal(res.body.create[0].stock_quantity, 7);
  });

  it('counts batch items and writes per product in the stats', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    sandbox().resetStats();
    await woo(sandbox(), { method: 'POST', path: '/products/batch', body: { create: [{ name: 'B' }], update: [{ id: p.id, name: 'A2' }, { id: 999999 }] } });
    const stats = sandbox().stats();
    assert.equal(stats.requests, 1);
    assert.equal(stats.byRoute['POST /products/batch'], 1);
    assert.equal(stats.byMethod.POST, 1);
    assert.equal(stats.batchItems, 3);
    assert.equal(stats.writesByProductId[p.id], 1);
    assert.equal(stats.writesByProductId[999999], undefined);
    assert.equal(Object.keys(stats.writesByProductId).length, 2);
  });
});
