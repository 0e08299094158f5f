import assert from 'node:assert/strict';
import { createProduct, useSandbox, variableProduct } from './helpers/sandbox';
import { woo } from './helpers/woo-http';

/** Issue 8.4: the sandbox store has a read-only page anyone can open, without keys. */
describe('WooCommerce sandbox: the read-only store page (issue 8.4)', () => {
  const sandbox = useSandbox();

  it('shows products and variations with SKU, stock, price and last change, without credentials', async () => {
    const simple = await createProduct(sandbox(), { name: 'Mug <b>', sku: 'PAGE-MUG', regular_price: '9.50', manage_stock: true, stock_quantity: 7 });
    const { parent, variations } = await variableProduct(sandbox(), 'PAGE-TEE', ['S', 'M']);
    const page = await fetch(`${sandbox().url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    const html = await page.text();
    assert.match(html, /PAGE-MUG/);
    assert.match(html, /Mug &#60;b&#62;/, 'names are escaped');
    assert.match(html, /PAGE-TEE-S/);
    assert.match(html, /setInterval\(refresh/, 'the page refreshes itself');
    assert.doesNotMatch(html, /<form|method="post"/i, 'nothing on the page writes');

    const json = await (await fetch(`${sandbox().url}/store.json`)).json() as any;
    const mug = json.products.find((p: any) => p.id === simple.id);
    assert.deepEqual([mug.sku, mug.stock_quantity, mug.regular_price], ['PAGE-MUG', 7, '9.50']);
    assert.match(mug.date_modified_gmt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const tee = json.products.find((p: any) => p.id === parent.id);
    assert.deepEqual(tee.variations.map((v: any) => v.id), variations.map((v: any) => v.id));
    assert.equal(json.product_count, 2);
    assert.equal(json.variation_count, 2);
  });

  it('follows the store: a stock change through the API shows on the next read', async () => {
    const p = await createProduct(sandbox(), { name: 'Cup', sku: 'PAGE-CUP', regular_price: '3', manage_stock: true, stock_quantity: 4 });
    const put = await woo(sandbox(), { method: 'PUT', path: `/products/${p.id}`, body: { stock_quantity: -2 } });
    assert.equal(put.status, 200);
    const json = await (await fetch(`${sandbox().url}/store.json`)).json() as any;
    assert.equal(json.products.find((x: any) => x.id === p.id).stock_quantity, -2);
    assert.match(await (await fetch(`${sandbox().url}/`)).text(), /class="product negative"/);
  });

  it('writes nothing and leaves the REST API as it was: POST / is a 404 page, unsigned REST reads are still refused', async () => {
    await createProduct(sandbox(), { name: 'Pen', sku: 'PAGE-PEN', regular_price: '1' });
    const post = await fetch(`${sandbox().url}/`, { method: 'POST', body: 'x' });
    assert.equal(post.status, 404);
    const unsigned = await woo(sandbox(), { path: '/products', auth: 'none' });
    assert.equal(unsigned.status, 401);
    assert.equal(sandbox().state.products().length, 1);
  });
});
