// What a shop does to creates, lookups, trash and deleted variations (issue 6 points 3, 5, 6).
// Runs against the sandbox in CI and against a real store when WOO_CONTRACT_URL and keys are set
// (see store.ts); the real WooCommerce 8.9.1 store decided every expectation here.
import assert from 'node:assert/strict';
import { WooApiError } from '../../activities/woocommerce/errors';
import { openContractStore, type ContractStore } from './store';
import { SlowCreates } from './slow-creates';

const uniq = () => Math.random().toString(36).slice(2, 8).toUpperCase();

async function until<T>(what: string, fn: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe(`shop contract: creates, lookups, trash, deleted variations (issue 6 points 3, 5, 6)`, function () {
  this.timeout(120_000);
  let store: ContractStore;

  before(async () => {
    store = await openContractStore();
  });
  after(async () => store?.close());

  it('a ?sku= lookup finds drafts, pending and private products with our meta, but not trashed ones', async () => {
    const c = store.client();
    const tag = uniq();
    const made: number[] = [];
    for (const status of ['draft', 'pending', 'private', 'publish'] as const) {
      const p = await c.createProduct({ name: `L ${status}`, sku: `CL-${tag}-${status}`, status, regular_price: '1', meta_data: [{ key: '_possync_create_key', value: `k-${tag}-${status}` }] });
      made.push(p.id);
    }
    await c.deleteProduct(made[3]!);
    const found = await c.findBySkus(['draft', 'pending', 'private', 'publish'].map((s) => `CL-${tag}-${s}`));
    assert.deepEqual(found.map((p) => p.status).sort(), ['draft', 'pending', 'private']);
    for (const p of found) {
      assert.equal(p.meta_data.find((m) => m.key === '_possync_create_key')?.value, `k-${tag}-${p.status}`);
    }
    const trashed = await c.listProducts({ sku: `CL-${tag}-publish`, status: 'trash' });
    assert.deepEqual(trashed.items.map((p) => p.id), [made[3]]);
  });

  it('one list request with status=trash and include=ids names exactly the trashed ones', async () => {
    const c = store.client();
    const tag = uniq();
    const a = await c.createProduct({ name: 'T a', sku: `CT-${tag}-A`, regular_price: '1' });
    const b = await c.createProduct({ name: 'T b', sku: `CT-${tag}-B`, regular_price: '1' });
    await c.deleteProduct(b.id);
    const listed = await c.listProducts({ include: [a.id, b.id, 999_999], status: 'trash', per_page: 100 });
    assert.deepEqual(listed.items.map((p) => p.id), [b.id]);
  });

  it('an update of a trashed product keeps it trashed without a status, and untrashes it with one (single and batch)', async () => {
    const c = store.client();
    const tag = uniq();
    const p = await c.createProduct({ name: 'U', sku: `CU-${tag}`, regular_price: '1' });
    await c.deleteProduct(p.id);
    const kept = await c.updateProduct(p.id, { regular_price: '2', sku: `CU-${tag}` });
    assert.equal(kept.status, 'trash');
    const untrashed = await c.updateProduct(p.id, { status: 'publish' });
    assert.equal(untrashed.status, 'publish');
    await c.deleteProduct(p.id);
    await c.batchProducts({ update: [{ id: p.id, status: 'publish', regular_price: '3' }] });
    assert.equal((await c.getProduct(p.id)).status, 'publish');
  });

  it('a new product may take the SKU of a trashed one', async () => {
    const c = store.client();
    const sku = `CS-${uniq()}`;
    const p = await c.createProduct({ name: 'S', sku, regular_price: '1' });
    await c.deleteProduct(p.id);
    const again = await c.createProduct({ name: 'S again', sku, regular_price: '1' });
    assert.notEqual(again.id, p.id);
  });

  it('a deleted variation answers woocommerce_rest_product_variation_invalid_id (400) to a batch item and to a single update', async () => {
    const c = store.client();
    const tag = uniq();
    const parent = await c.createProduct({
      name: 'V', sku: `CV-${tag}`, type: 'variable',
      attributes: [{ name: 'Size', visible: true, variation: true, options: ['S', 'M'] }],
    });
    const made = await c.batchVariations(parent.id, {
      create: ['S', 'M'].map((o) => ({ sku: `CV-${tag}-${o}`, regular_price: '1', attributes: [{ name: 'Size', option: o }] })),
    });
    const [s, m] = (made.create ?? []) as { id: number }[];
    await c.deleteVariation(parent.id, s!.id, { force: true });
    const res = await c.batchVariations(parent.id, { update: [{ id: s!.id, regular_price: '2' }, { id: m!.id, regular_price: '2' }] });
    const [gone, ok] = res.update as any[];
    assert.equal(gone.error?.code, 'woocommerce_rest_product_variation_invalid_id');
    assert.equal(gone.error?.data?.status, 400);
    assert.equal(ok.id, m!.id);
    await assert.rejects(c.updateVariation(parent.id, s!.id, { regular_price: '2' }), (err: unknown) =>
      err instanceof WooApiError && err.status === 400 && err.code === 'woocommerce_rest_product_variation_invalid_id');
  });

  it('trashing a variable product trashes its variations (listing answers none); a REST untrash of the parent leaves them trashed', async () => {
    const c = store.client();
    const tag = uniq();
    const parent = await c.createProduct({
      name: 'VT', sku: `CVT-${tag}`, type: 'variable',
      attributes: [{ name: 'Size', visible: true, variation: true, options: ['S'] }],
    });
    await c.batchVariations(parent.id, { create: [{ sku: `CVT-${tag}-S`, regular_price: '1', attributes: [{ name: 'Size', option: 'S' }] }] });
    assert.equal((await c.listAllVariations(parent.id)).length, 1);
    await c.deleteProduct(parent.id);
    assert.equal((await c.listAllVariations(parent.id)).length, 0);
    const [v] = (await c.listVariations(parent.id, { status: 'trash' })).items;
    assert.equal(v?.status, 'trash');
    // Untrashing the parent by REST leaves its variations in the trash; updating one with a status restores it.
    await c.updateProduct(parent.id, { status: 'publish' });
    assert.equal((await c.listAllVariations(parent.id)).length, 0);
    assert.equal((await c.updateVariation(parent.id, v!.id, { status: 'publish' })).status, 'publish');
    assert.equal((await c.listAllVariations(parent.id)).length, 1);
  });

  describe('slow creates', () => {
    let slow: SlowCreates;
    beforeEach(async () => {
      slow = new SlowCreates(store, 3000);
      await slow.start();
    });
    afterEach(async () => slow.stop());

    it('two overlapping creates of one SKU both succeed: the SKU check is check-then-insert', async () => {
      const c = store.client();
      const sku = `CR-${uniq()}`;
      const create = (i: number) => () => c.createProduct({ name: `R${i}`, sku, regular_price: '1', ...slow.fields() });
      const made = await slow.overlapping(create(1), create(2));
      assert.notEqual(made[0]!.id, made[1]!.id);
      assert.equal((await c.findBySkus([sku])).length, 2);
    });

    it('a create whose client timed out is invisible while it runs, then lands (a lost answer)', async () => {
      const sku = `CO-${uniq()}`;
      await assert.rejects(
        store.client({ timeoutMs: 500 }).createProduct({ name: 'O', sku, regular_price: '1', ...slow.fields() }),
        (err: unknown) => err instanceof WooApiError && err.kind === 'timeout',
      );
      const c = store.client();
      assert.equal((await c.findBySkus([sku])).length, 0, 'not visible while the create still runs');
      const landed = await until('the timed-out create to land', async () => {
        const found = await c.findBySkus([sku]);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(landed.length, 1);
    });
  });
});
