// Issue 6 point 3: no create whose outcome is unknown is blindly repeated; zero duplicates.
// Runs against the sandbox (slow creates injected) and, with WOO_CONTRACT_URL and keys, against
// a real store (creates made slow by an image that takes seconds to download).
import assert from 'node:assert/strict';
import type { ContractShop } from './helpers/contract-shop';
import { uniqueSku, waitFor } from './helpers/shop';
import { SlowCreates } from './contract/slow-creates';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

describe('creates with lost answers and slow creates make no duplicate (issue 6 point 3, M-E5)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: ContractShop | undefined;
  let slow: SlowCreates | undefined;

  const linkCount = async (productId: number) =>
    Number((await stack.db('product_links').where({ connection_id: shop!.connectionId, product_id: productId }).count({ n: '*' }))[0]!.n);

  it('creates taking longer than the client timeout, fired concurrently, leave exactly one shop product per SKU and one variation per variant', async () => {
    // possync gives up on each create after 1 s; the shop takes 3 s to insert it, and still does.
    shop = await shops.contract({ timeoutMs: 1000 });
    slow = await shops.slowCreates(shop, 3000);
    const skus = [uniqueSku('SLOW'), uniqueSku('SLOW'), uniqueSku('SLOW')];
    const varSku = uniqueSku('SLOWV');
    const sizes = ['S', 'M'];
    const posts = await Promise.all([
      ...skus.map((sku) => shop!.api.post('/api/products', {
        sku, type: 'simple', name: `Slow ${sku}`, retail_price: 10, channels: ['in_store', 'online'], ...slow!.fields(),
      })),
      shop.api.post('/api/products', {
        sku: varSku, type: 'variable', name: `Slow ${varSku}`, channels: ['in_store', 'online'], ...slow.fields(),
        attributes: [{ name: 'Size', options: sizes }],
        variants: sizes.map((s) => ({ sku: `${varSku}-${s}`, retail_price: 12, attributes: [{ name: 'Size', option: s }], ...slow!.image() })),
      }),
    ]);
    for (const p of posts) assert.equal(p.status, 201, JSON.stringify(p.data));
    const ids = posts.map((p) => p.data.id as number);
    await waitFor('every product linked', async () => {
      for (const [i, id] of ids.entries()) if ((await linkCount(id)) < (i === 3 ? 3 : 1)) return false;
      return true;
    });
    // Give a create that might still be in flight the time to land before counting.
    await new Promise((r) => setTimeout(r, 4000));
    const client = shop.client;
    for (const sku of [...skus, varSku]) {
      const found = (await client.findBySkus([sku])).filter((p) => p.type !== 'variation');
      assert.equal(found.length, 1, `one shop product of ${sku}, found ${found.map((p) => p.id).join(', ')}`);
    }
    const parentLink = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: ids[3] }).whereNull('variant_id').first();
    const variations = await shop.client.listAllVariations(Number(parentLink.remote_id));
    assert.deepEqual(variations.map((v) => v.sku).sort(), sizes.map((s) => `${varSku}-${s}`).sort(), 'one variation per variant SKU');
    // The lost answers did happen: creates were recorded as sent and settled by what the shop showed.
    const settled = await stack.db('shop_creations').where({ connection_id: shop.connectionId }).whereIn('state', ['superseded']).count({ n: '*' });
    assert.ok(Number(settled[0]!.n) >= 1, 'at least one create had a lost answer and was found in the shop afterwards');
  });

  it('a duplicate that exists anyway (same SKU, our meta, not linked) is removed with a log line, and the push goes through', async () => {
    shop = await shops.contract();
    slow = await shops.slowCreates(shop, 3000);
    const sku = uniqueSku('DUPE');
    const created = shop.api.post('/api/products', { sku, type: 'simple', name: `Dupe ${sku}`, retail_price: 10, channels: ['in_store', 'online'], ...slow.fields() });
    // While possync's create is being inserted (slowly), a second one of ours arrives: both pass the SKU check.
    const product = await waitFor('the product in the POS', async () => (await stack.db('products').where({ sku }).first()) ?? undefined);
    await new Promise((r) => setTimeout(r, 1200));
    const dupe = await shop.client.createProduct({
      name: `Dupe ${sku}`, sku, regular_price: '10.00', meta_data: [{ key: '_possync_product_id', value: String(product.id) }], ...slow.fields(),
    });
    assert.equal((await created).status, 201);
    await waitFor('the link', async () => (await linkCount(product.id)) === 1);
    const linked = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: product.id }).first();
    const both = await shop.client.findBySkus([sku]);
    assert.equal(both.length, 2, 'the shop holds the duplicate');
    assert.notEqual(Number(linked.remote_id), dupe.id, 'the create answered first was linked');
    // The next push meets the duplicate (product_invalid_sku) and removes it.
    assert.equal((await shop.api.post('/api/products', { sku, type: 'simple', name: `Dupe ${sku} v2`, retail_price: 11, channels: ['in_store', 'online'] })).status, 200);
    await waitFor('the duplicate removed', async () => (await shop!.client.findBySkus([sku])).length === 1);
    const [left] = await shop.client.findBySkus([sku]);
    assert.equal(left!.id, Number(linked.remote_id));
    await waitFor('the renamed product pushed', async () => (await shop!.client.getProduct(left!.id)).name === `Dupe ${sku} v2`);
    const logged = await stack.db('sync_log').where({ product_id: product.id, action: 'dedupe' }).first();
    assert.match(logged.message, new RegExp(`removed duplicate shop product ${dupe.id} of ${sku}`));
  });
});
