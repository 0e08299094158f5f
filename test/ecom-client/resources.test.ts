import assert from 'node:assert/strict';
import { findOrCreateBrand } from '../../activities/ecom/brands';
import { EcomClient, ecomDateTime } from '../../activities/ecom/client';
import { EcomApiError, toEcomActivityFailure } from '../../activities/ecom/errors';
import { RequestBudget } from '../../activities/ecom/request-budget';
import { toEcomImages, toEcomProduct, toEcomVariants } from '../../domain/ecom-mapping';
import type { ProductSnapshot } from '../../domain/product';
import { useEcomSandbox } from '../sandbox/helpers/ecom';

const FAST = { limits: [1e6, 1e6, 1e6] as [number, number, number], perSecond: 1e6 };

async function failure(p: Promise<unknown>): Promise<EcomApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof EcomApiError, String(err));
    return err;
  }
  assert.fail('expected a failure');
}

describe('eCom client: typed resources against the sandbox', () => {
  const sandbox = useEcomSandbox({ rateLimit: FAST });
  let c: EcomClient;
  beforeEach(() => {
    c = new EcomClient({ baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'nl', ownBudget: new RequestBudget({ perSecond: 1e6 }) });
  });
  afterEach(() => c.close());

  it('writes a mapped POS product: product, brand, default variant, further variant, image; reads it back typed', async () => {
    const snap: ProductSnapshot = {
      id: 1, sku: 'MUG', type: 'variable', name: 'Mug', description: 'Stoneware', brand: 'Acme', upc: '', retailPrice: null, active: true, channels: ['online'],
      attributes: [{ name: 'Colour', options: ['Red', 'Blue'] }], images: [{ src: 'http://img.test/mug.png', alt: 'Mug' }], weight: 0.4, dimensions: { length: 10, width: 8, height: 9.5 }, version: 1, stock: 5,
      variants: [
        { id: 11, sku: 'MUG-R', upc: '0012345678905', retailPrice: 12.1, attributes: [{ name: 'Colour', option: 'Red' }], image: null, weight: null, dimensions: null, active: true, position: 0, stock: 2 },
        { id: 12, sku: 'MUG-B', upc: '', retailPrice: 12.1, attributes: [{ name: 'Colour', option: 'Blue' }], image: null, weight: 0.45, dimensions: null, active: true, position: 1, stock: 3 },
      ],
    };
    const brand = await c.brands.create(snap.brand);
    const product = await c.products.create(toEcomProduct(snap, brand.id));
    assert.equal(product.brandId, brand.id);
    assert.equal(product.visibility, 'visible');
    const [first, second] = toEcomVariants(snap);
    const [defaultVariant, ...others] = await c.variants.list({ product: product.id });
    assert.equal(others.length, 0);
    assert.equal(defaultVariant!.isDefault, true);
    const red = await c.variants.update(defaultVariant!.id, first!.payload);
    const blue = await c.variants.create({ ...second!.payload, product: product.id });
    assert.deepEqual([red.sku, red.ean, red.title, red.priceIncl, red.stockTracking, red.stockLevel, red.weight, red.sizeX, red.sizeY, red.sizeZ], ['MUG-R', '0012345678905', 'Colour: Red', 12.1, 'enabled', 2, 400, 8, 10, 10]);
    assert.equal(blue.weight, 450);
    const withImage = await c.variants.update(blue.id, { image: { attachment: Buffer.from('jpg').toString('base64'), filename: 'blue.jpg' } });
    assert.match(withImage.imageSrc!, /blue\.jpg$/);
    assert.equal((await c.variants.update(blue.id, { image: false })).imageSrc, null);
    assert.equal(blue.productId, product.id);
    const [plan] = toEcomImages(snap);
    const img = await c.images.create(product.id, { attachment: Buffer.from('png bytes').toString('base64'), filename: plan!.filename, title: plan!.title });
    assert.equal(img.extension, 'png');
    assert.equal((await c.products.get(product.id)).imageSrc, img.src);
    assert.equal(await c.variants.count({ product: product.id }), 2);
    assert.deepEqual((await c.images.list(product.id)).map((i) => i.id), [img.id]);
    const unlinked = await c.products.update(product.id, { brand: false });
    assert.equal(unlinked.brandId, null);
  });

  it('finds a brand by title or creates it once, and remembers its id', async () => {
    const known = new Map<string, number>();
    const id = await findOrCreateBrand(c, 'Acme Tools', known);
    assert.equal(await findOrCreateBrand(c, '  acme   tools ', new Map()), id, 'found by title in the shop');
    const before = sandbox().stats().requests;
    assert.equal(await findOrCreateBrand(c, 'ACME TOOLS', known), id);
    assert.equal(sandbox().stats().requests, before, 'a remembered brand costs no request');
    assert.equal(sandbox().state.brands.size, 1);
    await assert.rejects(findOrCreateBrand(c, ' '), /brand: false/);
  });

  it('lists everything past 250 by since_id, and filters orders by updated_at_min', async function () {
    this.timeout(60_000);
    for (let i = 0; i < 260; i++) await c.brands.create(`Brand ${i}`);
    assert.equal((await c.brands.listAll()).length, 260);
    const p = await c.products.create({ title: 'Sold', visibility: 'visible' });
    const [v] = await c.variants.list({ product: p.id });
    sandbox().placeOrder({ lines: [{ variantId: v!.id, quantity: 2 }] });
    const since = ecomDateTime(new Date(Date.now() - 60_000));
    const [order] = await c.orders.list({ updated_at_min: since });
    assert.equal(order!.status, 'processing_awaiting_payment');
    const [line] = await c.orders.products(order!.id);
    assert.deepEqual([line!.variantId, line!.productId, line!.quantityOrdered], [v!.id, p.id, 2]);
    assert.equal(await c.orders.count(), 1);
  });

  it('classifies failures: 404 and 400 final, 401 auth, 5xx and lost answers retryable', async () => {
    const notFound = await failure(c.products.get(424242));
    assert.deepEqual([notFound.kind, notFound.retryable, notFound.status], ['not_found', false, 404]);
    const invalid = await failure(c.variants.create({ product: 1, title: '' }));
    assert.equal(invalid.kind, 'not_found');
    const p = await c.products.create({ title: 'P' });
    const badTitle = await failure(c.variants.create({ product: p.id, title: '' }));
    assert.deepEqual([badTitle.kind, badTitle.retryable, badTitle.apiMessage], ['validation', false, 'Invalid variant title']);
    const wrongKey = new EcomClient({ baseUrl: sandbox().url, apiKey: 'a'.repeat(32), apiSecret: 'b'.repeat(32), language: 'nl', ownBudget: new RequestBudget() });
    const auth = await failure(wrongKey.products.count());
    assert.deepEqual([auth.kind, auth.retryable], ['auth', false]);
    assert.ok(!auth.message.includes('a'.repeat(32)));
    wrongKey.close();
    const badLang = new EcomClient({ baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'de', ownBudget: new RequestBudget() });
    assert.equal((await failure(badLang.products.count())).apiMessage, 'Unknown or inactive language');
    badLang.close();
    sandbox().setFaults({ serverErrorRate: 1 });
    const server = await failure(c.products.count());
    assert.deepEqual([server.kind, server.retryable], ['server', true]);
    sandbox().setFaults({ serverErrorRate: 0, lostResponseRate: 1 });
    const lost = await failure(c.brands.create('Lost'));
    assert.equal(lost.retryable, true);
    assert.equal(sandbox().state.brands.size, 1, 'the write landed: the caller must find it before creating again');
  });

  it('treats the error envelope under a 2xx as a failure, a 429 one with Retry-After', async () => {
    sandbox().setFaults({ rules: [{ method: 'GET', path: '/products/count', status: 200, body: { error: { code: 429, message: 'Too many requests' } }, retryAfterSeconds: 3, times: 1 }] });
    const err = await failure(c.products.count());
    assert.deepEqual([err.kind, err.retryable, err.retryAfterMs], ['rate_limited', true, 3000]);
    const failure429 = toEcomActivityFailure(err);
    assert.equal(failure429.type, 'EcomApiError.rate_limited');
    assert.equal(failure429.nonRetryable, false);
    assert.equal(failure429.nextRetryDelay, 3000);
    assert.equal(await c.products.count(), 0);
  });

  it('refuses locally what the API would refuse: key lengths, language, limit over 250', async () => {
    assert.throws(() => new EcomClient({ baseUrl: sandbox().url, apiKey: 'short', apiSecret: sandbox().apiSecret, language: 'nl' }), /32 characters/);
    assert.throws(() => new EcomClient({ baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'dutch' }), /language/);
    const err = await failure(c.products.list({ limit: 251 }));
    assert.equal(err.kind, 'invalid_request');
    assert.equal(sandbox().stats().requests, 0);
  });
});

describe('eCom client: a shop that sends numbers as strings', () => {
  const sandbox = useEcomSandbox({ rateLimit: FAST, stringNumbers: true });

  it('reads prices and stock as numbers', async () => {
    const c = new EcomClient({ baseUrl: sandbox().url, apiKey: sandbox().apiKey, apiSecret: sandbox().apiSecret, language: 'nl', ownBudget: new RequestBudget({ perSecond: 1e6 }) });
    const p = await c.products.create({ title: 'Strings' });
    const [v] = await c.variants.list({ product: p.id });
    const raw = (await c.call('GET', `variants/${v!.id}`)).variant as Record<string, unknown>;
    assert.equal(typeof raw.stockLevel, 'string');
    const updated = await c.variants.update(v!.id, { priceIncl: 12.1, stockLevel: 4, stockTracking: 'enabled' }, 'stock');
    assert.deepEqual([updated.priceIncl, updated.priceExcl, updated.stockLevel], [12.1, 10, 4]);
    c.close();
  });
});
