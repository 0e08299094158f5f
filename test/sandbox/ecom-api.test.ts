import assert from 'node:assert/strict';
import { ecom, ecomProduct, useEcomSandbox } from './helpers/ecom';

describe('eCom sandbox: URLs, auth, envelopes', () => {
  const sandbox = useEcomSandbox({ languages: ['nl', 'en'] });

  it('answers /{lang}/{resource}.json; an unknown or inactive language is a 404', async () => {
    assert.equal((await ecom(sandbox(), { path: '/products', lang: 'en' })).status, 200);
    const de = await ecom(sandbox(), { path: '/products', lang: 'de' });
    assert.equal(de.status, 404);
    assert.equal(de.body.error.message, 'Unknown or inactive language');
    assert.equal(de.body.error.code, 404);
    const noJson = await fetch(`${sandbox().url}/nl/products`);
    assert.equal(noJson.status, 404);
  });

  it('takes Basic auth with the 32-character key and secret only', async () => {
    assert.equal(sandbox().apiKey.length, 32);
    const none = await ecom(sandbox(), { path: '/products', noAuth: true });
    assert.equal(none.status, 401);
    assert.ok(none.body.error.message);
    assert.equal((await ecom(sandbox(), { path: '/products', secret: 'x'.repeat(32) })).status, 401);
    assert.equal((await ecom(sandbox(), { path: '/products', key: sandbox().apiKey.slice(0, 31) })).status, 401);
  });

  it('wraps bodies and answers in the singular or plural key, and counts as {"count":N}', async () => {
    const bare = await ecom(sandbox(), { method: 'POST', path: '/products', body: { title: 'Unwrapped' } });
    assert.equal(bare.status, 400);
    assert.match(bare.body.error.message, /product/);
    const { product } = await ecomProduct(sandbox(), { title: 'Mug', visibility: 'visible' });
    const list = await ecom(sandbox(), { path: '/products' });
    assert.deepEqual(list.body.products.map((p: any) => p.id), [product.id]);
    assert.deepEqual((await ecom(sandbox(), { path: '/products/count' })).body, { count: 1 });
    assert.equal((await ecom(sandbox(), { path: `/products/${product.id}` })).body.product.title, 'Mug');
    assert.equal((await ecom(sandbox(), { path: '/products/999999' })).status, 404);
  });

  it('renders absent relations as the literal false and the *Value numbers as strings', async () => {
    const { product, variant } = await ecomProduct(sandbox(), { title: 'Plain' });
    assert.equal(product.brand, false);
    assert.equal(product.image, false);
    assert.equal(product.images, false);
    assert.equal(product.supplier, false);
    assert.equal(product.variants.resource.url, `variants?product=${product.id}`);
    assert.equal(variant.product.resource.id, product.id);
    assert.equal(typeof variant.weightValue, 'string');
    assert.equal(typeof variant.sizeXValue, 'string');
    // and accepts numbers sent as strings
    const put = await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { priceIncl: '12.10', stockLevel: '7' } } });
    assert.equal(put.body.variant.priceIncl, 12.1);
    assert.equal(put.body.variant.priceExcl, 10);
    assert.equal(put.body.variant.stockLevel, 7);
  });
});

describe('eCom sandbox: products, variants, brands, images', () => {
  const sandbox = useEcomSandbox({ languages: ['nl', 'en'] });

  it('creates a product with exactly one default variant', async () => {
    const { product, variant } = await ecomProduct(sandbox(), { title: 'Shirt' });
    const variants = await ecom(sandbox(), { path: '/variants', query: { product: product.id } });
    assert.equal(variants.body.variants.length, 1);
    assert.equal(variant.isDefault, true);
    assert.equal(variant.stockTracking, 'disabled');
    assert.equal(product.visibility, 'hidden');
  });

  it('refuses a variant without a non-empty title or an integer product', async () => {
    const { product } = await ecomProduct(sandbox(), { title: 'Shirt' });
    const noTitle = await ecom(sandbox(), { method: 'POST', path: '/variants', body: { variant: { product: product.id, title: ' ' } } });
    assert.equal(noTitle.status, 400);
    assert.equal(noTitle.body.error.message, 'Invalid variant title');
    const stringProduct = await ecom(sandbox(), { method: 'POST', path: '/variants', body: { variant: { product: String(product.id), title: 'M' } } });
    assert.equal(stringProduct.status, 400);
    const ok = await ecom(sandbox(), { method: 'POST', path: '/variants', body: { variant: { product: product.id, title: 'M', sku: 'S-M', ean: '8712345678906', priceIncl: 20 } } });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.variant.isDefault, false);
    assert.equal(ok.body.variant.sku, 'S-M');
    assert.deepEqual((await ecom(sandbox(), { path: '/variants/count', query: { product: product.id } })).body, { count: 2 });
    assert.equal(sandbox().state.variants.size, 2);
  });

  it('keeps content per language: a PUT in one language leaves the other', async () => {
    const { product, variant } = await ecomProduct(sandbox(), { title: 'Beker', description: 'Een beker' });
    await ecom(sandbox(), { method: 'PUT', lang: 'en', path: `/products/${product.id}`, body: { product: { title: 'Mug', description: 'A mug' } } });
    await ecom(sandbox(), { method: 'PUT', lang: 'en', path: `/variants/${variant.id}`, body: { variant: { title: 'Large' } } });
    const nl = (await ecom(sandbox(), { lang: 'nl', path: `/products/${product.id}` })).body.product;
    const en = (await ecom(sandbox(), { lang: 'en', path: `/products/${product.id}` })).body.product;
    assert.equal(nl.title, 'Beker');
    assert.equal(nl.description, 'Een beker');
    assert.equal(en.title, 'Mug');
    assert.equal(en.description, 'A mug');
    assert.equal((await ecom(sandbox(), { lang: 'nl', path: `/variants/${variant.id}` })).body.variant.title, 'Default');
    assert.equal((await ecom(sandbox(), { lang: 'en', path: `/variants/${variant.id}` })).body.variant.title, 'Large');
  });

  it('links a brand by integer id and unlinks it with false', async () => {
    const brand = await ecom(sandbox(), { method: 'POST', path: '/brands', body: { brand: { title: 'Acme' } } });
    assert.equal(brand.status, 201);
    const id = brand.body.brand.id;
    const { product } = await ecomProduct(sandbox(), { title: 'Anvil', brand: id });
    assert.equal(product.brand.resource.id, id);
    assert.deepEqual((await ecom(sandbox(), { path: '/products/count', query: { brand: id } })).body, { count: 1 });
    assert.equal((await ecom(sandbox(), { method: 'POST', path: '/products', body: { product: { title: 'X', brand: 424242 } } })).status, 400);
    const cleared = await ecom(sandbox(), { method: 'PUT', path: `/products/${product.id}`, body: { product: { brand: false } } });
    assert.equal(cleared.body.product.brand, false);
    assert.deepEqual((await ecom(sandbox(), { path: '/brands' })).body.brands.map((b: any) => b.title), ['Acme']);
  });

  it('takes images as base64 attachments with a file name', async () => {
    const { product } = await ecomProduct(sandbox(), { title: 'Pic' });
    const bytes = Buffer.from('\x89PNG fake image bytes');
    const bad = await ecom(sandbox(), { method: 'POST', path: `/products/${product.id}/images`, body: { productImage: { src: 'http://x/y.png' } } });
    assert.equal(bad.status, 400);
    const img = await ecom(sandbox(), { method: 'POST', path: `/products/${product.id}/images`, body: { productImage: { attachment: bytes.toString('base64'), filename: 'front.png', title: 'Front' } } });
    assert.equal(img.status, 201);
    assert.equal(img.body.productImage.extension, 'png');
    assert.equal(img.body.productImage.size, bytes.length);
    const after = (await ecom(sandbox(), { path: `/products/${product.id}` })).body.product;
    assert.equal(after.image.title, 'Front');
    assert.equal(after.images.resource.url, `products/${product.id}/images`);
    assert.equal((await ecom(sandbox(), { path: `/products/${product.id}/images` })).body.productImages.length, 1);
    assert.equal((await ecom(sandbox(), { method: 'DELETE', path: `/products/${product.id}/images/${img.body.productImage.id}` })).status, 204);
  });

  it("sets a variant's own image from an attachment, and removes it with false", async () => {
    const { variant } = await ecomProduct(sandbox(), { title: 'Var pic' });
    assert.equal(variant.image, false);
    const attachment = Buffer.from('jpeg bytes').toString('base64');
    const set = await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { image: { attachment, filename: 'red.jpg' } } } });
    assert.equal(set.body.variant.image.extension, 'jpg');
    assert.match(set.body.variant.image.src, /red\.jpg$/);
    assert.equal((await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { image: { filename: 'x.jpg' } } } })).status, 400);
    const cleared = await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { image: false } } });
    assert.equal(cleared.body.variant.image, false);
  });

  it('keeps stockTracking/stockLevel and visibility, and refuses unknown values', async () => {
    const { product, variant } = await ecomProduct(sandbox(), { title: 'Stock', visibility: 'visible' });
    assert.equal(product.isVisible, true);
    const v = await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { stockTracking: 'enabled', stockLevel: 12, weight: 1250, sizeXValue: 10.5, sizeUnit: 'cm' } } });
    assert.equal(v.body.variant.stockTracking, 'enabled');
    assert.equal(v.body.variant.stockLevel, 12);
    assert.equal(v.body.variant.weight, 1250);
    assert.equal(v.body.variant.sizeX, 11);
    assert.equal(v.body.variant.sizeXValue, '10.50');
    assert.equal((await ecom(sandbox(), { method: 'PUT', path: `/variants/${variant.id}`, body: { variant: { stockTracking: 'on' } } })).status, 400);
    const hidden = await ecom(sandbox(), { method: 'PUT', path: `/products/${product.id}`, body: { product: { visibility: 'hidden' } } });
    assert.equal(hidden.body.product.isVisible, false);
    assert.equal((await ecom(sandbox(), { method: 'PUT', path: `/products/${product.id}`, body: { product: { visibility: 'online' } } })).status, 400);
  });

  it('deletes a product with its variants; the last variant of a product cannot go', async () => {
    const { product, variant } = await ecomProduct(sandbox(), { title: 'Gone' });
    assert.equal((await ecom(sandbox(), { method: 'DELETE', path: `/variants/${variant.id}` })).status, 400);
    assert.equal((await ecom(sandbox(), { method: 'DELETE', path: `/products/${product.id}` })).status, 204);
    assert.equal((await ecom(sandbox(), { path: `/variants/${variant.id}` })).status, 404);
  });
});

describe('eCom sandbox: listing', () => {
  // Limits out of the way: this file tests paging, ecom-rate-limit.test.ts the limits.
  const sandbox = useEcomSandbox({ rateLimit: { limits: [1e6, 1e6, 1e6], perSecond: 1e6 } });

  it('pages by limit (at most 250, default 50) and page, with no pagination headers', async () => {
    for (let i = 0; i < 260; i++) await ecom(sandbox(), { method: 'POST', path: '/brands', body: { brand: { title: `B${i}` } } });
    const first = await ecom(sandbox(), { path: '/brands' });
    assert.equal(first.body.brands.length, 50);
    assert.equal(first.headers.get('link'), null);
    assert.equal(first.headers.get('x-total-count'), null);
    assert.equal((await ecom(sandbox(), { path: '/brands', query: { limit: 1000 } })).body.brands.length, 250);
    const page2 = await ecom(sandbox(), { path: '/brands', query: { limit: 250, page: 2 } });
    assert.equal(page2.body.brands.length, 10);
    assert.equal((await ecom(sandbox(), { path: '/brands', query: { limit: 250, page: 3 } })).body.brands.length, 0);
  });

  it('cursors with since_id and filters by updated_at_min', async () => {
    const a = await ecomProduct(sandbox(), { title: 'A' });
    const b = await ecomProduct(sandbox(), { title: 'B' });
    const since = await ecom(sandbox(), { path: '/products', query: { since_id: a.product.id } });
    assert.deepEqual(since.body.products.map((p: any) => p.id), [b.product.id]);
    const future = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.equal((await ecom(sandbox(), { path: '/products', query: { updated_at_min: future } })).body.products.length, 0);
    const past = new Date(Date.now() - 60_000).toISOString().slice(0, 19).replace('T', ' ');
    assert.equal((await ecom(sandbox(), { path: '/products/count', query: { updated_at_min: past } })).body.count, 2);
    assert.equal((await ecom(sandbox(), { path: '/products', query: { updated_at_min: 'yesterday' } })).status, 400);
  });
});
