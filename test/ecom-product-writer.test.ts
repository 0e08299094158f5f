import assert from 'node:assert/strict';
import { useEcomShop, useImageServer } from './helpers/ecom-shop';
import { simpleProduct, uniqueSku, variableProduct } from './helpers/shop';
import { TEST_HANG_GUARD_MS, useTestStack } from './helpers/suite-setup';

describe('eCom product writer: create, write only what changed, stock', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useEcomShop(stack);
  const images = useImageServer();

  const state = () => shop.sandbox.state;
  const variantsOf = (remoteProductId: number) => state().variantsOf(remoteProductId);
  const writes = () => shop.sandbox.stats().writes;
  const parentLink = async (productId: number) => stack.db('product_links').where({ connection_id: shop.connectionId, product_id: productId }).whereNull('variant_id').first();

  it('creates a simple product: the default variant becomes the product, mapped (grams, brand resource, visibility, tracked stock), linked', async () => {
    const sku = uniqueSku('ES');
    const id = await shop.save(simpleProduct(sku, { weight: 0.25, dimensions: { length: 30, width: 20, height: 10 }, retail_price: 12.5 }));
    await shop.count({ [sku]: 7 });
    const out = await shop.push(id);
    assert.equal(out.status, 'created', JSON.stringify(out));
    const link = await parentLink(id);
    const p = state().products.get(Number(link.remote_id))!;
    assert.equal(p.visibility, 'visible');
    assert.equal(p.text.nl!.title, `Product ${sku}`);
    assert.equal(state().brands.get(p.brand!)!.title, 'Acme');
    const vs = variantsOf(p.id);
    assert.equal(vs.length, 1, 'the default variant is the product; no extra variant');
    assert.deepEqual([vs[0]!.isDefault, vs[0]!.sku, vs[0]!.ean, vs[0]!.priceIncl, vs[0]!.weight, vs[0]!.stockTracking, vs[0]!.stockLevel, vs[0]!.sizeX, vs[0]!.sizeY, vs[0]!.sizeZ],
      [true, sku, '012345678905', 12.5, 250, 'enabled', 7, 20, 10, 30]);
    assert.equal(link.pushed_stock, 7);
    assert.equal(Number(link.pushed_version), Number((await stack.db('products').where({ id }).first('version')).version));
    // POST brand, POST product, PUT the default variant (reads: brands list, the default variant).
    assert.equal(out.writes, 3);
    assert.equal(out.requests, shop.sandbox.stats().requests);
  });

  it('creates a variable product: the default variant is the first POS variant, the others created, none left over', async () => {
    const sku = uniqueSku('EV');
    const id = await shop.save(variableProduct(sku, ['S', 'M', 'L']));
    await shop.count({ [`${sku}-S`]: 1, [`${sku}-M`]: 2, [`${sku}-L`]: 3 });
    const out = await shop.push(id);
    assert.equal(out.status, 'created', JSON.stringify(out));
    const remoteId = Number((await parentLink(id)).remote_id);
    const vs = variantsOf(remoteId);
    assert.deepEqual(vs.map((v) => [v.sku, v.title.nl, v.stockLevel, v.stockTracking]), [
      [`${sku}-S`, 'Size: S', 1, 'enabled'], [`${sku}-M`, 'Size: M', 2, 'enabled'], [`${sku}-L`, 'Size: L', 3, 'enabled'],
    ]);
    assert.equal(vs[0]!.isDefault, true);
    const links = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: id }).whereNotNull('variant_id').orderBy('variant_id');
    assert.deepEqual(links.map((l) => [Number(l.remote_id), Number(l.remote_parent_id), l.pushed_stock]), vs.map((v) => [v.id, remoteId, v.stockLevel]));
  });

  it('a second push of an unchanged product sends nothing; a price change sends one variant PUT', async () => {
    const sku = uniqueSku('EU');
    const id = await shop.save(variableProduct(sku, ['S', 'M']));
    assert.equal((await shop.push(id)).status, 'created');
    shop.sandbox.resetStats();
    const again = await shop.push(id);
    assert.deepEqual([again.status, again.requests, again.writes], ['unchanged', 0, 0]);
    assert.equal(shop.sandbox.stats().requests, 0);
    const doc = variableProduct(sku, ['S', 'M']);
    doc.variants[1]!.retail_price = 99.95;
    await shop.save(doc);
    const priced = await shop.push(id);
    assert.deepEqual([priced.status, priced.requests, priced.writes], ['written', 1, 1]);
    assert.deepEqual(shop.sandbox.stats().byRoute, { 'PUT /variants/{id}': 1 });
    const remoteId = Number((await parentLink(id)).remote_id);
    assert.equal(variantsOf(remoteId)[1]!.priceIncl, 99.95);
  });

  it('overwrites an eCom-side edit of a POS-owned field on the next push of its object, never the eCom-only fields', async () => {
    const sku = uniqueSku('EO');
    const id = await shop.save(simpleProduct(sku));
    await shop.push(id);
    const remote = variantsOf(Number((await parentLink(id)).remote_id))[0]!;
    remote.sku = 'EDITED-IN-ECOM';
    remote.oldPriceIncl = 55;
    remote.stockAlert = 3;
    await shop.save(simpleProduct(sku, { retail_price: 21 }));
    assert.equal((await shop.push(id)).status, 'written');
    assert.deepEqual([remote.sku, remote.priceIncl, remote.oldPriceIncl, remote.stockAlert], [sku, 21, 55, 3]);
  });

  it('uploads an image once: not again on the next push, nor when only its URL changes to the same bytes', async () => {
    const sku = uniqueSku('EI');
    const src = `${images.url}/ok-${sku}.png`;
    const id = await shop.save(simpleProduct(sku, { images: [{ src, alt: 'front' }] }));
    await shop.push(id);
    const remoteId = Number((await parentLink(id)).remote_id);
    assert.equal(state().imagesOf(remoteId).length, 1);
    assert.equal(images.hits(`/ok-${sku}.png`), 1);
    await shop.save(simpleProduct(sku, { images: [{ src, alt: 'front' }], description: 'Redescribed' }));
    shop.sandbox.resetStats();
    const renamed = await shop.push(id);
    assert.deepEqual(shop.sandbox.stats().byRoute, { 'PUT /products/{id}': 1 }, JSON.stringify(renamed));
    assert.equal(images.hits(`/ok-${sku}.png`), 1, 'a known src is not even downloaded');
    // Same bytes under another URL (the image server's colour depends on the path's length and 5th-last char).
    const moved = `${images.url}/ok-${sku}.png?v=2`;
    await shop.save(simpleProduct(sku, { images: [{ src: moved, alt: 'front' }], description: 'Redescribed' }));
    shop.sandbox.resetStats();
    await shop.push(id);
    assert.equal(shop.sandbox.stats().writes, 0, 'same bytes: re-keyed, not uploaded');
    assert.equal(state().imagesOf(remoteId).length, 1);
    await shop.save(simpleProduct(sku, { images: [], description: 'Redescribed' }));
    await shop.push(id);
    assert.equal(state().imagesOf(remoteId).length, 0);
  });

  it('a variant image is sent with the variant create, never again, and replaced when the POS image changes', async () => {
    const sku = uniqueSku('EW');
    const withImage = (src: string) => {
      const doc = variableProduct(sku, ['S', 'M']);
      return { ...doc, variants: doc.variants.map((v, i) => (i === 1 ? { ...v, image: { src } } : v)) };
    };
    const id = await shop.save(withImage(`${images.url}/ok-${sku}-a.png`));
    await shop.push(id);
    const remoteId = Number((await parentLink(id)).remote_id);
    const m = variantsOf(remoteId)[1]!;
    assert.equal(m.image?.filename, `ok-${sku}-a.png`);
    assert.equal(shop.sandbox.stats().byRoute['PUT /variants/{id}'], 1, 'only the default variant (S) was PUT; M got its image on create');
    shop.sandbox.resetStats();
    assert.equal((await shop.push(id)).requests, 0);
    await shop.save(withImage(`${images.url}/ok-${sku}-bb.png`));
    const out = await shop.push(id);
    assert.deepEqual([out.status, out.writes], ['written', 1]);
    assert.equal(variantsOf(remoteId)[1]!.image?.filename, `ok-${sku}-bb.png`);
  });

  it('stockOnly writes only the variants whose level differs from pushed_stock, with stock priority, and sets pushed_stock', async () => {
    const sku = uniqueSku('EK');
    const id = await shop.save(variableProduct(sku, ['S', 'M', 'L']));
    await shop.count({ [`${sku}-S`]: 5, [`${sku}-M`]: 5, [`${sku}-L`]: 5 });
    await shop.push(id);
    await shop.count({ [`${sku}-M`]: 2 });
    shop.sandbox.resetStats();
    const out = await shop.push(id, { stockOnly: true });
    assert.deepEqual([out.status, out.requests, out.writes], ['written', 1, 1]);
    const remoteId = Number((await parentLink(id)).remote_id);
    assert.deepEqual(variantsOf(remoteId).map((v) => v.stockLevel), [5, 2, 5]);
    const m = await stack.db('product_links as l').join('variants as v', 'v.id', 'l.variant_id').where({ 'l.connection_id': shop.connectionId, 'v.sku': `${sku}-M` }).first('l.pushed_stock');
    assert.equal(m.pushed_stock, 2);
    const again = await shop.push(id, { stockOnly: true });
    assert.deepEqual([again.status, again.requests], ['unchanged', 0]);
    // A catalog push after it does not write the stock again.
    assert.equal((await shop.push(id)).requests, 0);
    assert.equal(writes(), 1);
  });
});
