// Issue 8 point 1: what possync reads of a shop that lost products, the same on the sandbox and on a
// real store (WOO_CONTRACT_URL and keys). Recorded on the real store in
// test/fixtures/woocommerce-real/lost-products.json.
import assert from 'node:assert/strict';
import { WooApiError } from '../../activities/woocommerce/errors';
import { POSSYNC_META_KEY } from '../../domain/woo-mapping';
import { openContractStore, type ContractStore } from './store';

const unique = (p: string) => `${p}-${process.pid}-${Date.now() % 1_000_000}`;

async function refusal(fn: () => Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof WooApiError) return { status: err.status, code: err.code };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('contract: a shop that lost products (issue 8 point 1)', function () {
  this.timeout(120_000);
  let store: ContractStore;

  before(async () => {
    store = await openContractStore();
  });
  after(async () => store?.close());

  it('lists linked ids without the trashed and deleted ones, with their SKU and possync meta; a deleted id answers invalid_id everywhere; its SKU is free again', async () => {
    const client = store.client();
    const [a, b, c] = [unique('LP-A'), unique('LP-B'), unique('LP-C')];
    const kept = await client.createProduct({ name: a, sku: a, regular_price: '1', meta_data: [{ key: POSSYNC_META_KEY, value: '424242' }] } as never);
    const trashed = await client.createProduct({ name: b, sku: b, regular_price: '1' } as never);
    const deleted = await client.createProduct({ name: c, sku: c, regular_price: '1' } as never);
    await client.deleteProduct(trashed.id);
    await client.deleteProduct(deleted.id, { force: true });

    const listed = (await client.listProducts({ include: [kept.id, trashed.id, deleted.id], per_page: 100 })).items;
    assert.deepEqual(listed.map((p) => p.id), [kept.id], 'every status but trash; deleted ids are left out');
    assert.equal(listed[0]!.sku, a);
    assert.equal(listed[0]!.meta_data.find((m) => m.key === POSSYNC_META_KEY)?.value, '424242', 'our meta is read back');
    const inTrash = (await client.listProducts({ include: [kept.id, trashed.id, deleted.id], status: 'trash', per_page: 100 })).items;
    assert.deepEqual(inTrash.map((p) => [p.id, p.status]), [[trashed.id, 'trash']]);
    assert.equal((await client.getProduct(trashed.id)).status, 'trash', 'a trashed product is still read by id');

    assert.deepEqual(await refusal(() => client.getProduct(deleted.id)), { status: 404, code: 'woocommerce_rest_product_invalid_id' });
    assert.deepEqual(await refusal(() => client.updateProduct(deleted.id, { name: 'x' } as never)), { status: 400, code: 'woocommerce_rest_product_invalid_id' });
    const batch = await client.batchProducts({ update: [{ id: deleted.id, name: 'x' } as never] });
    const item = batch.update![0] as { id: number; error?: { code: string; data?: { status: number } } };
    assert.equal(item.error?.code, 'woocommerce_rest_product_invalid_id');
    assert.equal(item.error?.data?.status, 400);

    const again = await client.createProduct({ name: `${c} again`, sku: c, regular_price: '1' } as never);
    assert.notEqual(again.id, deleted.id);
    assert.equal(again.sku, c);
    for (const id of [kept.id, trashed.id, again.id]) await client.deleteProduct(id, { force: true });
  });
});
