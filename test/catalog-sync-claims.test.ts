// Issue 6 point 4 with batched creates: the catalog sync creates new products in batches, the
// product's own push creates it alone, and a creation claim per (connection, product) makes them
// take turns; with slow creates and lost answers (issue 6 point 3) neither creates a duplicate.
import assert from 'node:assert/strict';
import type { ContractShop } from './helpers/contract-shop';
import { uniqueSku, waitFor } from './helpers/shop';
import { SlowCreates } from './contract/slow-creates';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { seedCatalog } from '../db/seed-generated';
import { useShopsPerTest, useTestStack, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

describe('catalog sync and product-push creating the same new products (issue 6 point 4, creation claims)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: ContractShop | undefined;
  let slow: SlowCreates | undefined;

  it('with creates slower than the client timeout, racing each other both ways, leaves exactly one shop product per SKU', async () => {
    // possync gives up on each create after 1 s; the shop takes 3 s to insert it, and still does.
    shop = await shops.contract({ timeoutMs: 1000 });
    slow = await shops.slowCreates(shop, 3000);
    const s = shop;
    const product = (sku: string, name = `Claim ${sku}`) =>
      s.api.post('/api/products', { sku, type: 'simple', name, retail_price: 10, channels: ['in_store', 'online'], ...slow!.fields() });
    // Only these products are sold online from here on: they are the catalog.
    await stack.db('products').update({ channels: ['in_store'] });
    // The catalog sync claims these first: in the POS without a change signal, nobody creates them until it comes.
    const prefix = uniqueSku('CLA');
    await seedCatalog(stack.db, { prefix, simple: 3, variable: 0, variations: 0, outletId: s.outletId });
    const ids = new Map<string, number>();
    for (const p of await stack.db('products').where('sku', 'like', `${prefix}-%`).select('id', 'sku')) ids.set(p.sku, p.id);
    const first = [...ids.keys()];
    const second = [uniqueSku('CLB'), uniqueSku('CLB'), uniqueSku('CLB')]; // their product-push claims these first
    const posted = await Promise.all(second.map((sku) => product(sku)));
    for (const [i, p] of posted.entries()) {
      assert.equal(p.status, 201, JSON.stringify(p.data));
      ids.set(second[i]!, p.data.id);
    }
    const claimsOf = (skus: string[], creator: string) =>
      stack.db('shop_creations').where({ connection_id: s.connectionId, kind: 'product', creator }).whereIn('product_id', skus.map((k) => ids.get(k)!));
    await waitFor('the product-pushes hold their claims', async () => (await claimsOf(second, 'product_push')).length >= second.length);

    const sync = stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(s.connectionId)}-claims`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: s.connectionId, concurrency: 2 }],
    });
    await waitFor('the catalog sync holds its claims', async () => (await claimsOf(first, 'catalog_sync')).length >= first.length);
    // Now their own pushes want to create them too: they meet the catalog sync's claims.
    const changed = await Promise.all(first.map((sku) => product(sku, `Claim ${sku} v2`)));
    for (const c of changed) assert.equal(c.status, 200, JSON.stringify(c.data));

    const result = await sync;
    assert.equal(result.failed, 0);
    await waitFor('every product linked', async () => {
      const n = await stack.db('product_links').where({ connection_id: s.connectionId }).whereNull('variant_id')
        .whereIn('product_id', [...ids.values()]).count({ n: '*' });
      return Number(n[0]!.n) === ids.size;
    });
    // Give a create that might still be in flight the time to land before counting.
    await new Promise((r) => setTimeout(r, 4000));
    for (const sku of [...first, ...second]) {
      const found = (await s.client.findBySkus([sku])).filter((p) => p.type !== 'variation');
      assert.equal(found.length, 1, `one shop product of ${sku}, found ${found.map((p) => p.id).join(', ')}`);
      const link = await stack.db('product_links').where({ connection_id: s.connectionId, product_id: ids.get(sku)! }).whereNull('variant_id').first();
      assert.equal(Number(link.remote_id), found[0]!.id, `${sku} linked to its one shop product`);
    }
    // Each product had one creator: the product-pushes never sent a create of the catalog sync's products.
    assert.equal((await claimsOf(first, 'product_push')).length, 0, 'no product-push create of a product the catalog sync claimed');
    // The lost answers did happen and were settled by what the shop showed.
    const superseded = await stack.db('shop_creations').where({ connection_id: s.connectionId, state: 'superseded' }).count({ n: '*' });
    assert.ok(Number(superseded[0]!.n) >= 1, 'a create with a lost answer was found in the shop afterwards');
    const renamed = (await s.client.findBySkus([first[0]!]))[0]!;
    await waitFor('the change after the claim pushed', async () => (await s.client.getProduct(renamed.id)).name === `Claim ${first[0]} v2`);
  });
});
