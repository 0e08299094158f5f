import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { WooApiError } from '../../activities/woocommerce/errors';
import { startImageServer, type ImageServer } from '../helpers/image-server';
import { mediaProbe } from './media-probe';
import { openContractStore, type ContractStore } from './store';

/**
 * Issue 6 point 2: what WooCommerce 8.9.1 answers for an image it cannot use, recorded from the
 * kit's real store in test/fixtures/woocommerce-real/image-errors.json. The same cases run
 * against the sandbox (CI) and a real store (WOO_CONTRACT_URL and keys).
 */
const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/woocommerce-real/image-errors.json'), 'utf8'));

describe('contract: image answers of WooCommerce 8.9.1 (issue 6 points 1, 2)', function () {
  this.timeout(120_000);
  let store: ContractStore;
  let images: ImageServer;
  let n = 0;
  const sku = (tag: string) => `IMGC-${tag}-${process.pid}-${Date.now() % 100000}-${++n}`;

  before(async () => {
    store = await openContractStore();
    images = await startImageServer();
  });
  after(async () => {
    await images?.close();
    await store?.close();
  });

  function expected(name: string, part: 'body' = 'body'): any {
    const text = JSON.stringify(FIXTURE[name][part])
      .replaceAll('{IMG}', images.url).replaceAll('{DEAD_PORT}', String(images.deadPort)).replaceAll('{DEAD}', images.deadUrl);
    return JSON.parse(text);
  }

  async function refusal(fn: () => Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
    try {
      await fn();
    } catch (err) {
      if (err instanceof WooApiError) return { status: err.status, code: err.code, message: err.wooMessage };
      throw err;
    }
    assert.fail('the store accepted the write');
  }

  it('a single create whose image is 404 is refused whole, with the URL and "Not Found" in the message; nothing is created', async () => {
    const client = store.client();
    const s = sku('404');
    const got = await refusal(() => client.createProduct({ name: 'B', sku: s, images: [{ src: `${images.url}/missing.png` }] }));
    const want = expected('single_post_not_found');
    assert.deepEqual(got, { status: 400, code: want.code, message: want.message });
    assert.equal((await client.findBySkus([s])).length, 0);
    assert.equal(images.hits('/missing.png'), 1, 'the store tried to download it once');
  });

  it('a create whose gallery image fails after the featured one answers 400 yet stores the product, without its meta_data', async () => {
    const client = store.client();
    const s = sku('gal');
    const got = await refusal(() => client.createProduct({
      name: 'G', sku: s, regular_price: '4.00', meta_data: [{ key: '_possync_product_id', value: '1' }],
      images: [{ src: `${images.url}/ok-gal.png` }, { src: `${images.url}/missing-gal.png` }],
    }));
    assert.deepEqual(got, { status: 400, code: 'woocommerce_product_image_upload_error', message: `Error getting remote image ${images.url}/missing-gal.png. Error: Not Found` });
    const found = await client.findBySkus([s]);
    assert.equal(found.length, 1, 'the product exists although the create was refused');
    const saved = await client.getProduct(found[0]!.id);
    assert.equal(saved.regular_price, '4.00');
    assert.equal(saved.images.length, 1);
    assert.ok(!saved.meta_data.some((m) => m.key === '_possync_product_id'), 'meta_data comes after the images and is not saved');
  });

  it('an unreachable image host and a non-image file are refused with the recorded messages', async () => {
    const client = store.client();
    const refused = await refusal(() => client.createProduct({ name: 'C', sku: sku('dead'), images: [{ src: `${images.deadUrl}/refused.png` }] }));
    assert.deepEqual(refused, { status: 400, code: 'woocommerce_product_image_upload_error', message: expected('single_post_connection_refused').message });
    const text = await refusal(() => client.createProduct({ name: 'D', sku: sku('text'), images: [{ src: `${images.url}/text-d.jpg` }] }));
    assert.deepEqual(text, { status: 400, code: 'woocommerce_product_image_upload_error', message: expected('single_post_not_an_image').message });
  });

  it('an update with a broken image changes nothing (stock, price stay); a deleted media id is refused by number', async () => {
    const client = store.client();
    const probe = mediaProbe(store);
    const created = await client.createProduct({
      name: 'A', sku: sku('upd'), regular_price: '5.00', manage_stock: true, stock_quantity: 5, images: [{ src: `${images.url}/ok-upd.png` }],
    });
    const got = await refusal(() => client.updateProduct(created.id, { regular_price: '6.00', stock_quantity: 9, images: [{ src: `${images.url}/missing3.png` }] }));
    const want = expected('single_put_not_found');
    assert.deepEqual(got, { status: 400, code: want.code, message: want.message });
    const after = await client.getProduct(created.id);
    assert.equal(after.regular_price, '5.00');
    assert.equal(after.stock_quantity, 5);
    assert.equal(after.images[0]!.id, created.images[0]!.id);

    const bogus = await refusal(() => client.updateProduct(created.id, { images: [{ id: 99999999 }] }));
    assert.deepEqual(bogus, { status: 400, code: 'woocommerce_product_invalid_image_id', message: '#99999999 is an invalid image ID.' });
    if (probe.available) {
      await probe.delete(created.images[0]!.id);
      const gone = await refusal(() => client.updateProduct(created.id, { images: [{ id: created.images[0]!.id }] }));
      assert.deepEqual(gone, { status: 400, code: 'woocommerce_product_invalid_image_id', message: `#${created.images[0]!.id} is an invalid image ID.` });
    }
  });

  it('in /products/batch each item fails alone with the same error, the others are written', async () => {
    const client = store.client();
    const ok = await client.createProduct({ name: 'A', sku: sku('b-ok'), regular_price: '5.00' });
    const target = await client.createProduct({ name: 'T', sku: sku('b-t'), regular_price: '5.00' });
    const res = await client.batchProducts({
      create: [
        { name: 'E', sku: sku('b-e'), images: [{ src: `${images.url}/gone.png` }] },
        { name: 'F', sku: sku('b-f'), images: [{ src: `${images.url}/text.jpg` }] },
      ],
      update: [
        { id: target.id, regular_price: '7.00', images: [{ src: `${images.url}/missing2.png` }] },
        { id: ok.id, regular_price: '8.00' },
      ],
    });
    const want = expected('batch');
    assert.deepEqual(res.create, want.create);
    assert.deepEqual(res.update?.[0], { ...want.update[0], id: target.id });
    assert.equal((res.update?.[1] as { regular_price: string }).regular_price, '8.00');
    assert.equal((await client.getProduct(target.id)).regular_price, '5.00');
  });

  it('variations: a 404 image and a bad media id are refused per variation; {} removes the image; weight is taken on create', async () => {
    const client = store.client();
    const parent = await client.createProduct({ name: 'V', sku: sku('v'), type: 'variable', attributes: [{ name: 'Size', options: ['S', 'M'], variation: true }] });
    const single = await refusal(() => client.createVariation(parent.id, {
      sku: sku('v-s'), regular_price: '3', attributes: [{ name: 'Size', option: 'S' }], image: { src: `${images.url}/nope.png` },
    }));
    assert.deepEqual(single, { status: 400, code: 'woocommerce_variation_image_upload_error', message: expected('variation_post_not_found').message });
    const batch = await client.batchVariations(parent.id, {
      create: [{ sku: sku('v-m'), regular_price: '3', attributes: [{ name: 'Size', option: 'M' }], image: { id: 424242 } }],
    });
    assert.deepEqual(batch.create, expected('variation_batch_invalid_image_id').create);
    const v = await client.createVariation(parent.id, {
      sku: sku('v-s2'), regular_price: '3', weight: '1.5', attributes: [{ name: 'Size', option: 'S' }], image: { src: `${images.url}/ok-v.png` },
    } as never);
    assert.equal((v as unknown as { weight: string }).weight, '1.5');
    assert.ok(v.image && v.image.id > 0);
    const cleared = await client.updateVariation(parent.id, v.id, { image: {} });
    assert.equal(cleared.image, null);
  });

  it('an image sent by id is not downloaded again: 20 updates keep one attachment (issue 6 point 1)', async function () {
    const probe = mediaProbe(store);
    if (!probe.available) this.skip();
    const client = store.client();
    const before = await probe.count();
    const created = await client.createProduct({ name: 'M', sku: sku('m'), images: [{ src: `${images.url}/ok-m.png` }] });
    const id = created.images[0]!.id;
    for (let i = 0; i < 20; i++) await client.updateProduct(created.id, { regular_price: `${10 + i}.00`, images: [{ id, src: `${images.url}/ok-m.png` }] });
    assert.equal(await probe.count(), before + 1);
    assert.equal(images.hits('/ok-m.png'), 1);
  });
});
