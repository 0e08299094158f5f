import assert from 'node:assert/strict';
import { createProduct, useSandbox } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

describe('WooCommerce sandbox: products', () => {
  const sandbox = useSandbox();

  it('creates a product: 201, Location, edit-context body; GET answers in view context', async () => {
    const res = await woo(sandbox(), {
      method: 'POST',
      path: '/products',
      body: { name: 'Tee', sku: 'TEE-1', regular_price: '19.99', description: 'Long', short_description: 'Short', manage_stock: true, stock_quantity: 25 },
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('location'), `${sandbox().url}/wp-json/wc/v3/products/${res.body.id}`);
    assert.equal(res.body.description, 'Long');
    assert.equal(res.body.short_description, 'Short');
    assert.equal(res.body.generated_slug, 'tee');
    assert.equal(res.body.price, '19.99');
    assert.equal(res.body.stock_status, 'instock');
    assert.deepEqual(res.body.categories, [{ id: 15, name: 'Uncategorized', slug: 'uncategorized' }]);
    const get = await woo(sandbox(), { path: `/products/${res.body.id}` });
    assert.equal(get.status, 200);
    assert.equal(get.body.description, '<p>Long</p>\n');
    assert.equal(get.body.short_description, '<p>Short</p>\n');
    assert.equal('permalink_template' in get.body, false);
    const edit = await woo(sandbox(), { path: `/products/${res.body.id}`, query: { context: 'edit' } });
    assert.equal(edit.body.description, 'Long');
  });

  it('refuses a create that carries an id', async () => {
    const res = await woo(sandbox(), { method: 'POST', path: '/products', body: { id: 5, name: 'x' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'woocommerce_rest_product_exists');
  });

  it('applies only the keys sent; "" clears a field and a null short_description clears it too', async () => {
    const p = await createProduct(sandbox(), { name: 'Tee', sku: 'P-1', regular_price: '10', sale_price: '8', description: 'D', short_description: 'S', weight: '1.5' });
    const upd = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { description: '' } });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.description, '');
    assert.equal(upd.body.short_description, 'S');
    assert.equal(upd.body.weight, '1.5');
    assert.equal(upd.body.sku, 'P-1');
    assert.equal(upd.body.price, '8');
    const nul = await woo(sandbox(), { method: 'PATCH', path: `/products/${p.id}`, body: { short_description: null, sale_price: '' } });
    assert.equal(nul.body.short_description, '');
    assert.equal(nul.body.sale_price, '');
    assert.equal(nul.body.price, '10');
    const noPrice = await woo(sandbox(), { method: 'POST', path: `/products/${p.id}`, body: { regular_price: '', sku: '' } });
    assert.equal(noPrice.body.price, '');
    assert.equal(noPrice.body.purchasable, false);
    assert.equal(noPrice.body.sku, '');
  });

  it('manage_stock false clears quantity and backorders; true recomputes stock_status and ignores the one sent', async () => {
    const p = await createProduct(sandbox(), { name: 'Tee', manage_stock: true, stock_quantity: 3, backorders: 'notify' });
    let res = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { stock_quantity: 0, stock_status: 'instock' } });
    assert.equal(res.body.stock_status, 'onbackorder');
    assert.equal(res.body.backordered, true);
    res = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { backorders: 'no' } });
    assert.equal(res.body.stock_status, 'outofstock');
    res = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { stock_quantity: 4, stock_status: 'outofstock' } });
    assert.equal(res.body.stock_status, 'instock');
    res = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { manage_stock: false, stock_status: 'outofstock', backorders: 'yes' } });
    assert.equal(res.body.manage_stock, false);
    assert.equal(res.body.stock_quantity, null);
    assert.equal(res.body.backorders, 'no');
    assert.equal(res.body.stock_status, 'outofstock');
    // A quantity sent while stock is not managed is dropped.
    res = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { stock_quantity: 9 } });
    assert.equal(res.body.stock_quantity, null);
  });

  it('rejects a duplicate SKU across products and variations (trash excluded), case-insensitively', async () => {
    const a = await createProduct(sandbox(), { name: 'A', sku: 'DUP-1' });
    const dup = await woo(sandbox(), { method: 'POST', path: '/products', body: { name: 'B', sku: 'DUP-1' } });
    assert.equal(dup.status, 400);
    assert.deepEqual(dup.body, {
      code: 'product_invalid_sku',
      message: 'Invalid or duplicated SKU.',
      data: { status: 400, resource_id: a.id, unique_sku: 'DUP-1-1' },
    });
    const b = await createProduct(sandbox(), { name: 'B', sku: 'DUP-2' });
    const upd = await woo(sandbox(), { method: 'PUT', path: `/products/${b.id}`, body: { sku: 'dup-1', name: 'renamed' } });
    assert.equal(upd.status, 400);
    assert.equal(upd.body.data.resource_id, a.id);
    assert.equal(sandbox().state.product(b.id).name, 'B', 'nothing of the failed update is applied');
    await woo(sandbox(), { method: 'DELETE', path: `/products/${a.id}` });
    const reuse = await woo(sandbox(), { method: 'PUT', path: `/products/${b.id}`, body: { sku: 'DUP-1' } });
    assert.equal(reuse.status, 200, 'a trashed product does not hold its SKU');
  });

  it('cleans SKUs like wc_clean: trims, strips tags and percent-encoded octets', async () => {
    const p = await createProduct(sandbox(), { name: 'A', sku: '  <b>AB%20C</b>  ' });
    assert.equal(p.sku, 'ABC');
  });

  it('answers 404 for GET/DELETE of an unknown id but 400 for an update', async () => {
    const get = await woo(sandbox(), { path: '/products/999999' });
    assert.equal(get.status, 404);
    assert.deepEqual(get.body, { code: 'woocommerce_rest_product_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
    const del = await woo(sandbox(), { method: 'DELETE', path: '/products/999999' });
    assert.equal(del.status, 404);
    const put = await woo(sandbox(), { method: 'PUT', path: '/products/999999', body: { stock_quantity: 1 } });
    assert.equal(put.status, 400);
    assert.equal(put.body.code, 'woocommerce_rest_product_invalid_id');
  });

  it('moves to the trash without force (answering the product as it was), then 410; force deletes for good', async () => {
    const p = await createProduct(sandbox(), { name: 'Gone', sku: 'GONE' });
    const trash = await woo(sandbox(), { method: 'DELETE', path: `/products/${p.id}` });
    assert.equal(trash.status, 200);
    assert.equal(trash.body.id, p.id);
    assert.equal(trash.body.status, 'publish', 'recorded: the answer is prepared before trashing');
    assert.equal(sandbox().state.product(p.id).status, 'trash');
    const again = await woo(sandbox(), { method: 'DELETE', path: `/products/${p.id}` });
    assert.equal(again.status, 410);
    assert.deepEqual(again.body, { code: 'woocommerce_rest_already_trashed', message: 'The product has already been deleted.', data: { status: 410 } });
    const trashed = await woo(sandbox(), { path: `/products/${p.id}` });
    assert.equal(trashed.body.status, 'trash');
    assert.equal(trashed.body.slug, 'gone__trashed');
    const force = await woo(sandbox(), { method: 'DELETE', path: `/products/${p.id}`, query: { force: true } });
    assert.equal(force.status, 200);
    assert.equal(force.body.status, 'trash');
    assert.equal((await woo(sandbox(), { path: `/products/${p.id}` })).status, 404);
  });

  it('validates types before anything else: 400 rest_invalid_param with per-param details', async () => {
    const p = await createProduct(sandbox(), { name: 'A' });
    const res = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { stock_quantity: 'abc', regular_price: 12.5, status: 'gone' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'rest_invalid_param');
    assert.equal(res.body.message, 'Invalid parameter(s): status, regular_price, stock_quantity');
    assert.equal(res.body.data.params.stock_quantity, 'stock_quantity is not of type integer.');
    assert.equal(res.body.data.params.regular_price, 'regular_price is not of type string.');
    assert.deepEqual(res.body.data.details.stock_quantity, {
      code: 'rest_invalid_type',
      message: 'stock_quantity is not of type integer.',
      data: { param: 'stock_quantity' },
    });
    assert.equal(res.body.data.details.status.code, 'rest_not_in_enum');
    const numeric = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { manage_stock: 'true', stock_quantity: '7' } });
    assert.equal(numeric.status, 200, 'numeric strings and "true" pass validation');
    assert.equal(numeric.body.stock_quantity, 7);
  });

  it('answers 400 rest_invalid_json for a broken JSON body, and ignores a body that is not sent as JSON', async () => {
    const bad = await woo(sandbox(), { method: 'POST', path: '/products', rawBody: '{"name": broken' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      code: 'rest_invalid_json',
      message: 'Invalid JSON body passed.',
      data: { status: 400, json_error_code: 4, json_error_message: 'Syntax error' },
    });
    const auth = `Basic ${Buffer.from('x:y').toString('base64')}`;
    const plain = await fetch(`${sandbox().url}/wp-json/wc/v3/products`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: auth },
      body: '{"name": broken',
    });
    assert.equal(plain.status, 401, 'not parsed at all: the anonymous request is refused, not the JSON');
  });

  it('writes categories by id (inventing unknown ones), images by src or id, and meta_data by key', async () => {
    const p = await createProduct(sandbox(), {
      name: 'Pic',
      categories: [{ id: 42 }],
      images: [{ src: 'https://cdn.example.com/a/tee.jpg', alt: 'Front' }, { src: 'https://cdn.example.com/b/tee.jpg' }],
      meta_data: [
        { key: 'color', value: 'red' },
        { key: 'keep', value: 1 },
      ],
    });
    assert.deepEqual(p.categories, [{ id: 42, name: 'Category 42', slug: 'category-42' }]);
    assert.equal(p.images.length, 2);
    assert.match(p.images[0].src, /\/wp-content\/uploads\/\d{4}\/\d{2}\/tee\.jpg$/);
    assert.match(p.images[1].src, /tee-1\.jpg$/, 'a second upload of the same file name gets a suffix');
    assert.equal(p.images[0].alt, 'Front');
    assert.deepEqual(Object.keys(p.images[0]), ['id', 'date_created', 'date_created_gmt', 'date_modified', 'date_modified_gmt', 'src', 'name', 'alt']);
    const colorId = p.meta_data.find((m: any) => m.key === 'color').id;
    const upd = await woo(sandbox(), {
      method: 'PUT',
      path: `/products/${p.id}`,
      body: { images: [{ id: p.images[1].id }], meta_data: [{ key: 'color', value: 'blue' }] },
    });
    assert.deepEqual(upd.body.images.map((i: any) => i.id), [p.images[1].id]);
    assert.deepEqual(
      upd.body.meta_data.map((m: any) => [m.id, m.key, m.value]),
      [
        [colorId, 'color', 'blue'],
        [p.meta_data[1].id, 'keep', 1],
      ],
    );
    const cleared = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { images: [], categories: [] } });
    assert.deepEqual(cleared.body.images, []);
    assert.deepEqual(cleared.body.categories.map((c: any) => c.id), [15]);
    const badImage = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { images: [{ id: 999999 }] } });
    assert.equal(badImage.status, 400);
    assert.equal(badImage.body.code, 'woocommerce_product_invalid_image_id');
    const unreachable = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { images: [{ src: 'https://img.invalid/x.png' }] } });
    assert.equal(unreachable.body.code, 'woocommerce_product_image_upload_error');
  });

  it('keeps date_modified current and answers writes with dimensions and weight as strings', async () => {
    const p = await createProduct(sandbox(), { name: 'Box', weight: '2', dimensions: { length: '10', width: '5' } });
    assert.deepEqual(p.dimensions, { length: '10', width: '5', height: '' });
    assert.match(p.date_modified_gmt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    const upd = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { dimensions: { height: '1' } } });
    assert.deepEqual(upd.body.dimensions, { length: '10', width: '5', height: '1' });
  });

  it('answers 404 rest_no_route for unknown routes and methods', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['DELETE', '/products'],
      ['GET', '/products/abc'],
    ] as const) {
      const res = await woo(sandbox(), { method, path });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.deepEqual(res.body, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
    }
  });

  it('serves a minimal orders API: an empty list with totals, 404 for an unknown order', async () => {
    const list = await woo(sandbox(), { path: '/orders' });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, []);
    assert.equal(list.headers.get('x-wp-total'), '0');
    assert.equal(list.headers.get('x-wp-totalpages'), '0');
    const one = await woo(sandbox(), { path: '/orders/999999' });
    assert.equal(one.status, 404);
    assert.equal(one.body.code, 'woocommerce_rest_shop_order_invalid_id');
  });

  it('lets a test edit a product as the merchant would, without counting it as an API write', async () => {
    const p = await createProduct(sandbox(), { name: 'A', weight: '1' });
    sandbox().resetStats();
    sandbox().state.editProduct(p.id, { weight: '3', categories: [{ id: 30 }] });
    const after = sandbox().state.product(p.id);
    assert.equal(after.weight, '3');
    assert.deepEqual(sandbox().stats().writesByProductId, {});
    assert.throws(() => sandbox().state.editProduct(p.id, { stock_quantity: 'x' }), /rest_invalid_param/);
  });
});
