import assert from 'node:assert/strict';
import { createProduct, createVariation, useSandbox, variableProduct } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: variable products and variations', () => {
  const sandbox = useSandbox();

  it('forces regular/sale prices of a variable parent to "" and shows the cheapest variation as its price', async () => {
    const parent = await createProduct(sandbox(), {
      name: 'Hoodie',
      type: 'variable',
      regular_price: '50',
      sale_price: '40',
      attributes: [{ name: 'Size', variation: true, visible: true, options: ['S', 'M'] }],
    });
    assert.equal(parent.regular_price, '');
    assert.equal(parent.sale_price, '');
    assert.equal(parent.price, '');
    assert.equal(parent.purchasable, false);
    assert.equal(parent.stock_status, 'outofstock', 'no variation in stock yet');
    await createVariation(sandbox(), parent.id, { regular_price: '41', attributes: [{ name: 'Size', option: 'M' }] });
    await createVariation(sandbox(), parent.id, { regular_price: '39', attributes: [{ name: 'Size', option: 'S' }] });
    const get = await woo(sandbox(), { path: `/products/${parent.id}` });
    assert.equal(get.body.regular_price, '');
    assert.equal(get.body.price, '39.00');
    assert.equal(get.body.purchasable, true);
    assert.equal(get.body.stock_status, 'instock');
    assert.equal(get.body.variations.length, 2);
    const upd = await woo(sandbox(), { method: 'PUT', path: `/products/${parent.id}`, body: { regular_price: '99' } });
    assert.equal(upd.body.regular_price, '');
  });

  it('syncs the parent stock status from its variations', async () => {
    const { parent, variations } = await variableProduct(sandbox(), 'SYNC', ['S', 'M']);
    for (const v of variations) await woo(sandbox(), { method: 'PUT', path: `/products/${parent.id}/variations/${v.id}`, body: { stock_quantity: 0 } });
    assert.equal(sandbox().state.product(parent.id).stock_status, 'outofstock');
    await woo(sandbox(), { method: 'PUT', path: `/products/${parent.id}/variations/${variations[1].id}`, body: { stock_quantity: 2 } });
    assert.equal(sandbox().state.product(parent.id).stock_status, 'instock');
  });

  it('shows manage_stock "parent" and the parent quantity for a variation that inherits stock', async () => {
    const parent = await createProduct(sandbox(), {
      name: 'Managed',
      type: 'variable',
      manage_stock: true,
      stock_quantity: 12,
      attributes: [{ name: 'Color', variation: true, options: ['Red', 'Blue'] }],
    });
    const own = await createVariation(sandbox(), parent.id, { regular_price: '5', manage_stock: true, stock_quantity: 3, attributes: [{ name: 'Color', option: 'Red' }] });
    const inherits = await createVariation(sandbox(), parent.id, { regular_price: '5', attributes: [{ name: 'Color', option: 'Blue' }] });
    assert.equal(own.manage_stock, true);
    assert.equal(own.stock_quantity, 3);
    assert.equal(inherits.manage_stock, 'parent');
    assert.equal(inherits.stock_quantity, 12);
    await woo(sandbox(), { method: 'PUT', path: `/products/${parent.id}`, body: { stock_quantity: 0 } });
    const after = await woo(sandbox(), { path: `/products/${parent.id}/variations/${inherits.id}` });
    assert.equal(after.body.stock_quantity, 0);
    assert.equal(after.body.stock_status, 'outofstock');
    const written = await woo(sandbox(), { method: 'PUT', path: `/products/${parent.id}/variations/${own.id}`, body: { manage_stock: 'parent' } });
    assert.equal(written.body.manage_stock, 'parent', 'writing "parent" is writing false');
  });

  it('answers a created variation with its Location (route regex included, as recorded) and the variation shape', async () => {
    const { parent } = await variableProduct(sandbox(), 'LOC', ['S']);
    const res = await woo(sandbox(), { method: 'POST', path: `/products/${parent.id}/variations`, body: { sku: 'LOC-X', attributes: [{ name: 'Size', option: 'S' }] } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `${sandbox().url}/wp-json/wc/v3/products/(?P<product_id>[\\d]+)/variations/${res.body.id}`);
    assert.equal(res.body.tax_class, 'parent');
    assert.equal(res.body.parent_id, parent.id);
    assert.equal(res.body.name, 'S');
    assert.deepEqual(res.body.attributes, [{ id: 0, name: 'Size', slug: 'size', option: 'S' }]);
    assert.equal(res.body.permalink, `${sandbox().url}/product/hoodie-loc/?attribute_size=S`);
    const view = await woo(sandbox(), { path: `/products/${parent.id}/variations/${res.body.id}` });
    assert.equal(view.body.tax_class, '');
  });

  it('ignores attributes the parent does not use for variations', async () => {
    const { parent } = await variableProduct(sandbox(), 'ATTR', ['S']);
    const v = await createVariation(sandbox(), parent.id, { attributes: [{ name: 'Size', option: 'S' }, { name: 'Color', option: 'Red' }] });
    assert.deepEqual(v.attributes.map((a: any) => a.name), ['Size']);
  });

  it('lists variations with paging headers and an exact sku filter', async () => {
    const { parent, variations } = await variableProduct(sandbox(), 'LIST', ['S', 'M', 'L']);
    const all = await woo(sandbox(), { path: `/products/${parent.id}/variations`, query: { per_page: 2 } });
    assert.equal(all.headers.get('x-wp-total'), '3');
    assert.equal(all.headers.get('x-wp-totalpages'), '2');
    assert.match(all.headers.get('link') ?? '', new RegExp(`/products/${parent.id}/variations\\?per_page=2&.*page=2>; rel="next"`));
    const bySku = await woo(sandbox(), { path: `/products/${parent.id}/variations`, query: { sku: 'LIST-M' } });
    assert.deepEqual(bySku.body.map((v: any) => v.id), [variations[1].id]);
  });

  it('answers 404 for an unknown variation on GET and DELETE, 400 on update', async () => {
    const { parent } = await variableProduct(sandbox(), 'UNK', ['S']);
    const get = await woo(sandbox(), { path: `/products/${parent.id}/variations/999999` });
    assert.equal(get.status, 404);
    assert.equal(get.body.code, 'woocommerce_rest_product_variation_invalid_id');
    const put = await woo(sandbox(), { method: 'PUT', path: `/products/${parent.id}/variations/999999`, body: { stock_quantity: 1 } });
    assert.equal(put.status, 400);
    assert.equal(put.body.code, 'woocommerce_rest_product_variation_invalid_id');
    const del = await woo(sandbox(), { method: 'DELETE', path: `/products/${parent.id}/variations/999999`, query: { force: true } });
    assert.equal(del.status, 404);
  });

  it('refuses to update a variation under another product, and variations through /products/{id}', async () => {
    const a = await variableProduct(sandbox(), 'PA', ['S']);
    const b = await variableProduct(sandbox(), 'PB', ['S']);
    const wrongParent = await woo(sandbox(), { method: 'PUT', path: `/products/${b.parent.id}/variations/${a.variations[0].id}`, body: { regular_price: '1' } });
    assert.equal(wrongParent.status, 403);
    assert.equal(wrongParent.body.code, 'woocommerce_rest_cannot_edit');
    assert.equal(wrongParent.body.message, 'Parent product does not match current variation.');
    const viaProducts = await woo(sandbox(), { method: 'PUT', path: `/products/${a.variations[0].id}`, body: { regular_price: '1' } });
    assert.equal(viaProducts.status, 404);
    assert.equal(viaProducts.body.code, 'woocommerce_rest_invalid_product_id');
    const deleteViaProducts = await woo(sandbox(), { method: 'DELETE', path: `/products/${a.variations[0].id}` });
    assert.equal(deleteViaProducts.body.code, 'woocommerce_rest_invalid_product_id');
    const getViaProducts = await woo(sandbox(), { path: `/products/${a.variations[0].id}` });
    assert.equal(getViaProducts.status, 200, 'v3 reads a variation through /products in the product shape');
    assert.equal(getViaProducts.body.type, 'variation');
  });

  it('batch-updates variations with product_id injected, and deletes them for good', async () => {
    const { parent, variations } = await variableProduct(sandbox(), 'VB', ['S', 'M']);
    const res = await woo(sandbox(), {
      method: 'POST',
      path: `/products/${parent.id}/variations/batch`,
      body: {
        create: [{ sku: 'VB-L', regular_price: '9', attributes: [{ name: 'Size', option: 'M' }] }],
        update: [{ id: variations[0].id, regular_price: '38.00' }, { id: 999999 }],
        delete: [variations[1].id],
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.create[0].parent_id, parent.id);
    assert.equal(res.body.update[0].price, '38.00');
    assert.equal(res.body.update[1].error.code, 'woocommerce_rest_product_variation_invalid_id');
    assert.equal(res.body.delete[0].id, variations[1].id);
    assert.equal(sandbox().state.variation(parent.id, variations[1].id), undefined);
    assert.deepEqual(sandbox().state.product(parent.id).variations, [variations[0].id, res.body.create[0].id]);
  });

  it('force-deleting a variable product deletes its variations and frees their SKUs', async () => {
    const { parent, variations } = await variableProduct(sandbox(), 'FD', ['S']);
    const del = await woo(sandbox(), { method: 'DELETE', path: `/products/${parent.id}`, query: { force: true } });
    assert.equal(del.status, 200);
    assert.deepEqual(del.body.variations, [variations[0].id]);
    assert.equal(sandbox().state.variation(parent.id, variations[0].id), undefined);
    await createProduct(sandbox(), { name: 'Reuse', sku: 'FD-S' });
  });

  // Recorded on the real WooCommerce 8.9.1 store (test/fixtures/woocommerce-real/creates-trash-variations.json):
  // trashing the parent trashes its variations, and a trashed item holds no SKU.
  it('frees the SKUs of variations of a trashed parent: they are trashed with it', async () => {
    const { parent } = await variableProduct(sandbox(), 'TP', ['S']);
    await woo(sandbox(), { method: 'DELETE', path: `/products/${parent.id}` });
    const dup = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'Again', sku: 'TP-S' } });
    assert.equal(dup.status, 201);
  });
});
