import assert from 'node:assert/strict';
import { startImageServer, type ImageServer } from '../helpers/image-server';
import { uniqueSku, waitFor } from '../helpers/shop';
import { connectStore, type ConnectedStore } from '../helpers/contract-shop';
import { mediaProbe, type MediaProbe } from './media-probe';
import { openContractStore, type ContractStore } from './store';
import { useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

/**
 * possync's pushes against the contract store (sandbox in CI, the real store with WOO_CONTRACT_*):
 * issue 6 point 1 (an image is uploaded once per connection), point 2 (a broken image does not
 * hold the product back and is reported), point 7 (a new shop product starts with the POS weight).
 */
describe('contract: possync pushes images once, reports broken ones, creates with the POS weight (issue 6 points 1, 2, 7)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let store: ContractStore;
  let images: ImageServer;
  let conn: ConnectedStore;
  let probe: MediaProbe;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    store = await openContractStore();
    images = await startImageServer();
    conn = await connectStore(stack, store);
    probe = mediaProbe(store);
  });
  after(async () => {
    await images?.close();
    await store?.close();
  });

  const img = (name: string) => ({ src: `${images.url}/${name}` });

  function simple(sku: string, extra: Record<string, unknown> = {}) {
    return { sku, type: 'simple', name: `Mug ${sku}`, description: 'A mug', brand: 'Acme', retail_price: 12.5, channels: ['in_store', 'online'], ...extra };
  }

  async function save(doc: Record<string, unknown>): Promise<number> {
    const res = await conn.api.post('/api/products', doc);
    assert.ok(res.status === 201 || res.status === 200, JSON.stringify(res.data));
    return res.data.id;
  }

  const remoteIdOf = async (productId: number) =>
    (await stack.db('product_links').where({ connection_id: conn.connectionId, product_id: productId }).whereNull('variant_id').first())?.remote_id as
      | string | undefined;

  const pushesOf = async (productId: number) =>
    Number((await stack.db('sync_log').where({ product_id: productId, connection_id: conn.connectionId, status: 'ok' })
      .whereIn('action', ['update', 'create']).count('* as n').first())?.n ?? 0);

  /** Saves the document and waits until its own push (product-push/<id>, not a batched stock push) is logged. */
  async function saveAndWaitPush(doc: Record<string, unknown>, productId: number): Promise<void> {
    await save(doc);
    const { version } = await stack.db('products').where({ id: productId }).first('version');
    await waitFor('the push of the saved version', () =>
      stack.db('sync_log').where({ product_id: productId, connection_id: conn.connectionId, status: 'ok', action: 'update' })
        .andWhere('workflow_id', 'like', 'product-push/%').andWhere('message', 'like', `pushed version ${version} of %`).first());
  }

  async function created(doc: Record<string, unknown>): Promise<{ productId: number; remoteId: number }> {
    const productId = await save(doc);
    const remote = await waitFor('the product created and linked in the shop', () => remoteIdOf(productId));
    await waitFor('the creation logged', async () => (await pushesOf(productId)) > 0);
    return { productId, remoteId: Number(remote) };
  }

  it('20 pushes of a product whose images are unchanged leave as many attachments as it has images; a stock movement downloads none', async function () {
    if (!probe.available) this.skip();
    const before = await probe.count();
    const sku = uniqueSku('IMG20');
    const doc = simple(sku, { images: [img('ok-20-a.png'), { ...img('ok-20-b.png'), alt: 'side' }] });
    const { productId, remoteId } = await created(doc);
    // Each save edits the name: a save that changes nothing pushes nothing (issue 8.9).
    for (let i = 0; i < 20; i++) await saveAndWaitPush({ ...doc, name: `Mug ${sku} edit ${i}` }, productId);
    const pushes = await stack.db('sync_log').where({ product_id: productId, connection_id: conn.connectionId, status: 'ok', action: 'update' })
      .andWhere('workflow_id', 'like', 'product-push/%');
    assert.ok(pushes.length >= 20, `${pushes.length} pushes`);
    assert.equal(await probe.count() - before, 2, 'attachments made for this product');
    assert.equal(images.hits('/ok-20-a.png'), 1);
    assert.equal(images.hits('/ok-20-b.png'), 1);
    const shop = await store.client().getProduct(remoteId);
    assert.equal(shop.images.length, 2);
    assert.equal(shop.images[1]!.alt, 'side');

    const count = await conn.api.post('/api/stock-counts', { outlet_id: conn.outletId, lines: [{ sku, counted: 17 }] });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    await waitFor('the counted stock in the shop', async () => (await store.client().getProduct(remoteId)).stock_quantity === 17);
    assert.equal(await probe.count() - before, 2);
    assert.equal(images.hits('/ok-20-a.png') + images.hits('/ok-20-b.png'), 2);
  });

  it('a stock movement of a product whose media ids are unknown (linked before this fix) sends no image at all', async function () {
    if (!probe.available) this.skip();
    const sku = uniqueSku('IMGOLD');
    const { productId, remoteId } = await created(simple(sku, { images: [img('ok-old.png')] }));
    await stack.db('remote_media').where({ connection_id: conn.connectionId, product_id: productId }).delete();
    const before = await probe.count();
    const count = await conn.api.post('/api/stock-counts', { outlet_id: conn.outletId, lines: [{ sku, counted: 23 }] });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    await waitFor('the counted stock in the shop', async () => (await store.client().getProduct(remoteId)).stock_quantity === 23);
    assert.equal(await probe.count(), before);
    assert.equal(images.hits('/ok-old.png'), 1);
    assert.equal((await store.client().getProduct(remoteId)).images.length, 1, 'the shop keeps its image');
  });

  it('a changed POS image replaces the shop image, a removed one removes it; the unchanged one keeps its media id', async () => {
    const sku = uniqueSku('IMGCH');
    const { productId, remoteId } = await created(simple(sku, { images: [img('ok-ch-1.png'), img('ok-ch-2.png')] }));
    const first = await store.client().getProduct(remoteId);
    await saveAndWaitPush(simple(sku, { images: [img('ok-ch-1.png'), img('ok-ch-3.png')] }), productId);
    const changed = await store.client().getProduct(remoteId);
    assert.equal(changed.images.length, 2);
    assert.equal(changed.images[0]!.id, first.images[0]!.id);
    assert.notEqual(changed.images[1]!.id, first.images[1]!.id);
    assert.match(changed.images[1]!.src, /ok-ch-3/);
    await saveAndWaitPush(simple(sku, { images: [] }), productId);
    assert.deepEqual((await store.client().getProduct(remoteId)).images, []);
    const rows = await stack.db('remote_media').where({ connection_id: conn.connectionId, product_id: productId });
    assert.equal(rows.length, 0, 'nothing remembered for removed images');
    assert.equal(images.hits('/ok-ch-1.png'), 1);
  });

  it('an attachment the merchant deleted is uploaded again on the next push (the shop refuses its id)', async function () {
    if (!probe.available) this.skip();
    const sku = uniqueSku('IMGDEL');
    const doc = simple(sku, { images: [img('ok-del.png')] });
    const { productId, remoteId } = await created(doc);
    const old = (await store.client().getProduct(remoteId)).images[0]!.id;
    await probe.delete(old);
    await saveAndWaitPush({ ...doc, retail_price: 13 }, productId);
    const shop = await store.client().getProduct(remoteId);
    assert.equal(shop.regular_price, '13.00');
    assert.equal(shop.images.length, 1);
    assert.notEqual(shop.images[0]!.id, old);
    assert.equal(images.hits('/ok-del.png'), 2);
    const row = await stack.db('remote_media').where({ connection_id: conn.connectionId, product_id: productId }).first();
    assert.equal(Number(row.media_id), shop.images[0]!.id);
  });

  it('a broken image URL does not block the product: stock, price and the other image arrive, the problem is in the sync log and failures', async () => {
    const sku = uniqueSku('IMGBAD');
    const doc = simple(sku, { images: [img('ok-bad-1.png'), img('missing-bad.png')] });
    const productId = await save(doc);
    const count = await conn.api.post('/api/stock-counts', { outlet_id: conn.outletId, lines: [{ sku, counted: 8 }] });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    const remoteId = Number(await waitFor('the product created despite its broken image', () => remoteIdOf(productId)));
    await waitFor('stock 8 in the shop', async () => (await store.client().getProduct(remoteId)).stock_quantity === 8);
    const shop = await store.client().getProduct(remoteId);
    assert.equal(shop.regular_price, '12.50');
    assert.equal(shop.images.length, 1);
    const problem = await stack.db('sync_log').where({ product_id: productId, action: 'image', status: 'failed' }).first();
    assert.ok(problem, 'image problem logged');
    assert.match(problem.message, /missing-bad\.png/);
    const failures = await conn.api.get('/api/sync-failures');
    assert.ok(failures.data.failures.some((f: { product_id: number; action: string }) => f.product_id === productId && f.action === 'image'));

    // WooCommerce saved the product when its featured image was set, then refused the gallery image:
    // the create goes on with that product and its featured image id, so the good image is fetched once.
    assert.equal(images.hits('/ok-bad-1.png'), 1);
    assert.equal((await store.client().findBySkus([sku])).length, 1, 'one shop product for the SKU');
    await saveAndWaitPush({ ...doc, retail_price: 15 }, productId);
    assert.equal((await store.client().getProduct(remoteId)).regular_price, '15.00');
    assert.equal(images.hits('/ok-bad-1.png'), 1, 'the good image is not downloaded again');

    // The same on an update: a new featured image is kept (and fetched once) although the gallery image after it fails.
    await saveAndWaitPush({ ...doc, retail_price: 16, images: [img('ok-bad-2.png'), img('missing-bad-2.png')] }, productId);
    const updated = await store.client().getProduct(remoteId);
    assert.equal(updated.regular_price, '16.00');
    assert.equal(updated.images.length, 1);
    assert.match(updated.images[0]!.src, /ok-bad-2/);
    assert.equal(images.hits('/ok-bad-2.png'), 1);
    assert.equal((await store.client().getProduct(remoteId)).images.length, 1);
  });

  it('a new product and its variations start with the POS weight; later pushes leave the shop weight alone (M-A4); a variation image is uploaded once', async function () {
    const sku = uniqueSku('IMGW');
    const doc = {
      sku, type: 'variable', name: `Shirt ${sku}`, description: 'A shirt', brand: 'Acme', channels: ['in_store', 'online'], weight: 0.4,
      attributes: [{ name: 'Size', options: ['S', 'M'] }],
      variants: [
        { sku: `${sku}-S`, retail_price: 20, weight: 0.3, image: img('ok-w-s.png'), attributes: [{ name: 'Size', option: 'S' }] },
        { sku: `${sku}-M`, retail_price: 21, attributes: [{ name: 'Size', option: 'M' }] },
      ],
    };
    const { productId, remoteId } = await created(doc);
    const client = store.client();
    const parent = await client.getProduct(remoteId);
    assert.equal(parent.weight, '0.4');
    const variations = await client.listAllVariations(remoteId);
    const s = variations.find((v) => v.sku === `${sku}-S`)!;
    const m = variations.find((v) => v.sku === `${sku}-M`)!;
    assert.equal((await client.getVariation(remoteId, s.id)).weight, '0.3');
    // A variant without weight shows its parent's (WooCommerce reads it through in the view context).
    assert.equal((await client.getVariation(remoteId, m.id)).weight, '0.4');
    const imageId = (await client.getVariation(remoteId, s.id)).image?.id;
    assert.ok(imageId);

    await client.updateProduct(remoteId, { weight: '9' });
    for (let i = 0; i < 3; i++) await saveAndWaitPush({ ...doc, weight: 0.5 + i }, productId);
    assert.equal((await client.getProduct(remoteId)).weight, '9', 'the merchant owns weight after creation');
    assert.equal((await client.getVariation(remoteId, s.id)).image?.id, imageId);
    assert.equal(images.hits('/ok-w-s.png'), 1);

    // Removing the variant's image in the POS removes it in the shop.
    await saveAndWaitPush({ ...doc, variants: doc.variants.map((v) => ({ ...v, image: null })) }, productId);
    assert.equal((await client.getVariation(remoteId, s.id)).image, null);
  });
});
