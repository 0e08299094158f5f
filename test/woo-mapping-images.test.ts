import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ProductSnapshot, VariantSnapshot } from '../domain/product';
import {
  imageProblemOf, imagesAfterProblem, mediaKey, uploadedMedia, type KnownMedia,
} from '../domain/woo-images';
import { toWooProduct, toWooProductCreate, toWooVariation, toWooVariationCreate, WOO_FIELDS_NEVER_PUSHED } from '../domain/woo-mapping';
import { retryItemWithoutImageProblem } from '../activities/woocommerce/media';

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures/woocommerce-real/image-errors.json'), 'utf8'));

function variant(extra: Partial<VariantSnapshot> = {}): VariantSnapshot {
  return {
    id: 7, sku: 'SH-S', upc: '', retailPrice: 20, attributes: [{ name: 'Size', option: 'S' }], image: null, weight: 0.3,
    dimensions: null, active: true, position: 0, stock: 4, ...extra,
  };
}

function product(extra: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    id: 3, sku: 'MUG', type: 'simple', name: 'Mug', description: '', brand: '', upc: '', retailPrice: 9.9, active: true,
    channels: ['online'], attributes: [], images: [{ src: 'https://img.example/a.jpg' }, { src: 'https://img.example/b.jpg', alt: 'side' }],
    weight: 1.25, dimensions: null, version: 1, stock: 5, variants: [], ...extra,
  };
}

describe('WooCommerce mapping of images and weight (issue 6 points 1, 2, 7)', () => {
  it('point 7: a creation payload carries the POS weight, the update payload never weight or categories (M-A4)', () => {
    const p = product();
    assert.equal(toWooProductCreate(p).weight, '1.25');
    assert.equal(toWooProductCreate(product({ weight: null })).weight, '');
    for (const field of WOO_FIELDS_NEVER_PUSHED) assert.ok(!(field in toWooProduct(p)), `update payload has ${field}`);
    const v = variant();
    assert.equal(toWooVariationCreate(3, v).weight, '0.3');
    assert.equal(toWooVariationCreate(3, variant({ weight: null })).weight, '', 'no weight: the parent\'s shows');
    assert.ok(!('weight' in toWooVariation(3, v)));
  });

  it('point 1: a known image goes by its media id (src kept for a retry), an unknown one by src', () => {
    const media: KnownMedia = new Map([[mediaKey(null, 'https://img.example/a.jpg'), 41]]);
    assert.deepEqual(toWooProduct(product(), { media }).images, [
      { id: 41, src: 'https://img.example/a.jpg' },
      { src: 'https://img.example/b.jpg', alt: 'side' },
    ]);
    assert.deepEqual(toWooProductCreate(product(), { media }).images, toWooProduct(product(), { media }).images);
  });

  it('point 1: a stock-only push never makes the shop download: images only when all have ids', () => {
    const some: KnownMedia = new Map([[mediaKey(null, 'https://img.example/a.jpg'), 41]]);
    assert.ok(!('images' in toWooProduct(product(), { media: some, download: false })));
    const all: KnownMedia = new Map([[mediaKey(null, 'https://img.example/a.jpg'), 41], [mediaKey(null, 'https://img.example/b.jpg'), 42]]);
    assert.deepEqual(toWooProduct(product(), { media: all, download: false }).images?.map((i) => i.id), [41, 42]);
    assert.deepEqual(toWooProduct(product({ images: [] }), { download: false }).images, []);
    const v = variant({ image: { src: 'https://img.example/v.jpg' } });
    assert.ok(!('image' in toWooVariation(3, v, { download: false })));
    assert.deepEqual(toWooVariation(3, v, { media: new Map([[mediaKey(7, 'https://img.example/v.jpg'), 55]]), download: false }).image, { id: 55, src: 'https://img.example/v.jpg' });
  });

  it('point 1: a variant whose POS image was removed sends {} (removes the shop image)', () => {
    assert.deepEqual(toWooVariation(3, variant()).image, {});
  });

  it('point 2: reads the recorded WooCommerce 8.9.1 image errors', () => {
    const notFound = FIXTURE.single_post_not_found.body;
    assert.deepEqual(imageProblemOf(notFound.code, notFound.message.replace('{IMG}', 'http://127.0.0.1:9')), {
      kind: 'upload', src: 'http://127.0.0.1:9/missing.png', message: 'Error getting remote image http://127.0.0.1:9/missing.png. Error: Not Found',
    });
    const invalid = FIXTURE.single_put_invalid_image_id.body;
    assert.deepEqual(imageProblemOf(invalid.code, invalid.message), { kind: 'invalid-id', id: 99999, message: invalid.message });
    const notImage = FIXTURE.single_post_not_an_image.body;
    assert.deepEqual(imageProblemOf(notImage.code, notImage.message), { kind: 'upload', message: notImage.message });
    const variation = FIXTURE.variation_batch_invalid_image_id.body.create[0].error;
    assert.equal(imageProblemOf(variation.code, variation.message)?.kind, 'invalid-id');
    assert.equal(imageProblemOf('product_invalid_sku', 'Invalid or duplicated SKU.'), undefined);
  });

  it('point 2: after a problem the failing image is left out, a refused id is sent by src, the rest stays', () => {
    const refs = [{ id: 41, src: 'a' }, { src: 'http://h/b.png' }, { src: 'http://h/c.png' }];
    assert.deepEqual(imagesAfterProblem(refs, { kind: 'upload', src: 'http://h/b.png', message: '' }), [{ id: 41, src: 'a' }, { src: 'http://h/c.png' }]);
    assert.deepEqual(imagesAfterProblem(refs, { kind: 'upload', message: 'Invalid image' }), [{ id: 41, src: 'a' }]);
    assert.deepEqual(imagesAfterProblem(refs, { kind: 'invalid-id', id: 41, message: '' }), [{ src: 'a' }, { src: 'http://h/b.png' }, { src: 'http://h/c.png' }]);
    assert.equal(imagesAfterProblem([{ id: 41, src: 'a' }], { kind: 'upload', src: 'http://h/x.png', message: '' }), undefined, 'nothing to change: give up');
    const item = retryItemWithoutImageProblem({ sku: 'V', image: { src: 'http://h/v.png' } }, { code: 'woocommerce_variation_image_upload_error', message: 'Error getting remote image http://h/v.png. Error: Not Found' });
    assert.deepEqual(item?.body, { sku: 'V' });
    assert.equal(retryItemWithoutImageProblem({ sku: 'V' } as { sku: string; image?: { src: string } }, { code: 'product_invalid_sku', message: '' }), undefined);
  });

  it('point 1: media ids are read from the answer in the order the images were sent', () => {
    assert.deepEqual(uploadedMedia([{ src: 'a' }, { id: 9, src: 'b' }], [{ id: 8 }, { id: 9 }]), [{ src: 'a', id: 8 }, { src: 'b', id: 9 }]);
    assert.deepEqual(uploadedMedia([{ src: 'a' }], []), [], 'an answer that does not match is not trusted');
  });
});
