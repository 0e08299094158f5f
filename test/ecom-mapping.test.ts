import assert from 'node:assert/strict';
import { ECOM_FIELDS_NEVER_WRITTEN, ECOM_NEVER_WRITTEN, ECOM_PUSHED_FIELDS, gramsFromKg, toEcomImages, toEcomProduct, toEcomStock, toEcomVariants } from '../domain/ecom-mapping';
import type { ProductSnapshot } from '../domain/product';

function snapshot(over: Partial<ProductSnapshot> = {}): ProductSnapshot {
  return {
    id: 7, sku: 'TEE', type: 'variable', name: 'Tee', description: 'Soft cotton', brand: 'Acme', upc: '', retailPrice: null, active: true,
    channels: ['in_store', 'online'], attributes: [{ name: 'Size', options: ['S', 'M'] }], images: [{ src: 'https://img.example/p/tee%20front.png', alt: 'Front' }],
    weight: 0.25, dimensions: { length: 30, width: 20, height: 2.5 }, version: 3, stock: 9,
    variants: [
      { id: 71, sku: 'TEE-S', upc: '0012345678905', retailPrice: 19.99, attributes: [{ name: 'Size', option: 'S' }], image: null, weight: 0.2, dimensions: null, active: true, position: 0, stock: 4 },
      { id: 72, sku: 'TEE-M', upc: '', retailPrice: 21, attributes: [{ name: 'Size', option: 'M' }], image: { src: 'https://img.example/m.jpg' }, weight: null, dimensions: { length: 31, width: 21, height: 3 }, active: true, position: 1, stock: 5 },
      { id: 73, sku: 'TEE-L', upc: '', retailPrice: 22, attributes: [{ name: 'Size', option: 'L' }], image: null, weight: null, dimensions: null, active: false, position: 2, stock: 0 },
    ],
    ...over,
  };
}

describe('eCom mapping (M-C2, M-C3)', () => {
  it('pushes exactly the M-C2 fields', () => {
    assert.deepEqual(
      ECOM_PUSHED_FIELDS.map((f) => `${f.pos} -> ${f.ecom}`),
      [
        'name -> product.title',
        'description -> product.description',
        'brand -> product.brand',
        'sku -> variant.sku',
        'upc -> variant.ean',
        'variant attributes -> variant.title',
        'active (and sold online) -> product.visibility',
        'stock -> variant.stockLevel',
        'retail price -> variant.priceIncl',
        'images -> products/{id}/images',
        'weight -> variant.weight',
        'dimensions -> variant.sizeXValue/sizeYValue/sizeZValue',
      ],
    );
  });

  it('never writes the M-C3 fields', () => {
    assert.deepEqual(ECOM_NEVER_WRITTEN.map((n) => n.what), [
      'product category',
      'supplier, supplier code, supplier price',
      'reorder point, reorder quantity',
      'taxes',
      'tags',
      'eCom compare-at (regular) price',
      'eCom product subtitle',
      'eCom low-stock threshold',
    ]);
    const p = snapshot();
    const written = [...Object.keys(toEcomProduct(p, 12)), ...toEcomVariants(p).flatMap((v) => Object.keys(v.payload))];
    for (const field of ECOM_FIELDS_NEVER_WRITTEN) assert.ok(!written.includes(field), `${field} is never written`);
    for (const field of ['categories', 'supplier', 'tax', 'tags', 'oldPriceIncl', 'stockAlert', 'stockMinimum', 'fulltitle', 'priceCost']) {
      assert.ok(ECOM_FIELDS_NEVER_WRITTEN.includes(field), field);
    }
  });

  it('maps the product: title, description, brand id, visibility', () => {
    assert.deepEqual(toEcomProduct(snapshot(), 12), { title: 'Tee', description: 'Soft cotton', visibility: 'visible', brand: 12 });
    assert.equal(toEcomProduct(snapshot({ active: false }), 12).visibility, 'hidden');
    assert.equal(toEcomProduct(snapshot({ channels: ['in_store'] }), 12).visibility, 'hidden', 'in store only hides, never deletes');
    assert.equal(toEcomProduct(snapshot({ brand: '' }), false).brand, false);
    assert.equal(toEcomProduct(snapshot({ description: '' }), 12).description, '', 'an empty POS description empties eCom');
  });

  it('maps variants: sku, UPC -> EAN, attributes -> title and options, price, stock with tracking, grams, cm', () => {
    const [s, m, ...rest] = toEcomVariants(snapshot());
    assert.equal(rest.length, 0, 'an inactive POS variant is not in eCom');
    assert.deepEqual(s, {
      posVariantId: 71,
      payload: { title: 'Size: S', sku: 'TEE-S', ean: '0012345678905', priceIncl: 19.99, stockTracking: 'enabled', stockLevel: 4, weight: 200, sizeXValue: 20, sizeYValue: 2.5, sizeZValue: 30, sizeUnit: 'cm', sortOrder: 1 },
      options: [{ name: 'Size', value: 'S' }],
      image: null,
    });
    assert.equal(m!.payload.weight, 250, 'a variant without weight takes the product weight');
    assert.deepEqual([m!.payload.sizeXValue, m!.payload.sizeYValue, m!.payload.sizeZValue], [21, 3, 31]);
    assert.deepEqual(m!.image, { src: 'https://img.example/m.jpg', filename: 'm.jpg', title: '' });
  });

  it('maps a simple product to its default variant', () => {
    const [only, ...rest] = toEcomVariants(snapshot({ type: 'simple', variants: [], retailPrice: 9.5, upc: '5901234123457', stock: 3, weight: null, dimensions: null }));
    assert.equal(rest.length, 0);
    assert.deepEqual(only!.payload, { title: 'Tee', sku: 'TEE', ean: '5901234123457', priceIncl: 9.5, stockTracking: 'enabled', stockLevel: 3, weight: 0, sizeXValue: 0, sizeYValue: 0, sizeZValue: 0, sizeUnit: 'cm', sortOrder: 1 });
  });

  it('converts kg to whole grams, stock writes carry tracking, images get file names', () => {
    assert.equal(gramsFromKg(1.2345), 1235);
    assert.equal(gramsFromKg(null), 0);
    assert.deepEqual(toEcomStock(0), { stockTracking: 'enabled', stockLevel: 0 });
    assert.deepEqual(toEcomImages(snapshot({ images: [{ src: 'https://img.example/p/tee%20front.png', alt: 'Front' }, { src: 'https://img.example/render?id=1' }] })), [
      { src: 'https://img.example/p/tee%20front.png', filename: 'tee front.png', title: 'Front' },
      { src: 'https://img.example/render?id=1', filename: 'image-2.jpg', title: '' },
    ]);
  });
});
