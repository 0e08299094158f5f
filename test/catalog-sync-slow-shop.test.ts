// Issue 6 points 3 and 4 together, the way they broke on the real store: a catalog sync into a shop
// whose creates take longer than possync's client timeout. Sandbox (slow creates injected) or, with
// WOO_CONTRACT_URL and keys, a real store (each product's image takes seconds to download).
import assert from 'node:assert/strict';
import type { ContractShop } from './helpers/contract-shop';
import { uniqueSku } from './helpers/shop';
import { SlowCreates } from './contract/slow-creates';
import { realStoreConfigured } from './contract/store';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { useShopsPerTest, useTestStack } from './helpers/suite-setup';

describe('a catalog sync into a shop slower than the client timeout makes no duplicate (issue 6 points 3, 4)', function () {
  this.timeout(600_000);
  const stack = useTestStack();
  const shops = useShopsPerTest(stack);
  let shop: ContractShop | undefined;
  let slow: SlowCreates | undefined;

  it('24 simple and 6 variable products, every create timing out on the client: one shop product per SKU, one variation per variant', async () => {
    // On a real store ordinary requests take up to a few seconds while 30 pushes run (PHP workers
    // queue them): only the creates, slower still, may time out on the client. A variation batch
    // creates its items one after the other, so two slow variations must land within the stack's
    // CREATE_LAND_WAIT_MS (12 s).
    const real = realStoreConfigured();
    shop = await shops.contract({ timeoutMs: real ? 3000 : 1000 });
    slow = await shops.slowCreates(shop, real ? 4000 : 2500);
    await stack.db('products').update({ channels: ['in_store'] });
    await stack.db('connections').where({ id: shop.connectionId }).update({ active: false });
    const prefix = uniqueSku('CATSLOW');
    const skus: string[] = [];
    for (let i = 0; i < 30; i++) {
      const sku = `${prefix}-${i}`;
      skus.push(sku);
      const s = slow;
      const body: Record<string, unknown> = i < 24
        ? { sku, type: 'simple', name: `Slow ${sku}`, retail_price: 5, channels: ['in_store', 'online'], ...s.fields() }
        : {
          sku, type: 'variable', name: `Slow ${sku}`, channels: ['in_store', 'online'], ...s.fields(), attributes: [{ name: 'Size', options: ['S', 'M'] }],
          variants: ['S', 'M'].map((size) => ({ sku: `${sku}-${size}`, retail_price: 6, attributes: [{ name: 'Size', option: size }], ...s.image() })),
        };
      assert.equal((await shop.api.post('/api/products', body)).status, 201);
    }
    await stack.db('connections').where({ id: shop.connectionId }).update({ active: true });
    const result = await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-slow`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId }],
    });
    assert.equal(result.products, 30);
    assert.equal(result.created, 30);
    assert.equal(result.failed, 0);
    // Anything still in flight lands meanwhile.
    await new Promise((r) => setTimeout(r, 5000));
    const found = await shop.client.findBySkus(skus);
    const products = found.filter((p) => p.type !== 'variation');
    assert.equal(products.length, 30, `30 shop products for 30 SKUs, found ${products.length}`);
    assert.equal(new Set(products.map((p) => p.sku)).size, 30);
    for (const p of products.filter((x) => x.type === 'variable')) {
      const v = await shop.client.listAllVariations(p.id);
      assert.deepEqual(v.map((x) => x.sku).sort(), [`${p.sku}-M`, `${p.sku}-S`]);
    }
    const lost = await stack.db('shop_creations').where({ connection_id: shop.connectionId, state: 'superseded' }).count({ n: '*' });
    console.log(`      ${shop.store.kind}: ${lost[0]!.n} creates had their answer lost and were found in the shop afterwards`);
    assert.ok(Number(lost[0]!.n) >= 1);
  });
});
