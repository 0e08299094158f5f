// `possync shop` / `possync status` read a shop through the shopView workflow (issue 8.4, 8.5).
// Runs against the sandbox, and against a real store when WOO_CONTRACT_URL and keys are set (store.ts).
import assert from 'node:assert/strict';
import { uniqueSku, variableProduct, waitFor } from '../helpers/shop';
import type { shopView } from '../../workflows/shop-view';
import { describeShopView, stockMatch } from '../../scripts/commands/shop';
import { TEST_HANG_GUARD_MS, useContractShop, useTestStack } from '../helpers/suite-setup';

describe('contract: what the shop holds beside what the POS would push (issue 8.4, 8.5)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useContractShop(stack);

  const view = (sku: string) => stack.client.workflow.execute<typeof shopView>('shopView', {
    workflowId: `test-shop-view/${Date.now()}/${Math.random()}`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId, sku }],
  });

  it('a pushed variable product reads back the same; a stock changed in the shop is marked', async () => {
    const sku = uniqueSku('CSV');
    const created = await shop.api.post('/api/products', variableProduct(sku, ['S', 'M']));
    assert.equal(created.status, 201, JSON.stringify(created.data));
    const count = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: `${sku}-S`, counted: 6 }, { sku: `${sku}-M`, counted: 2 }] });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    await waitFor('the product, its variants linked and their stock in the shop', async () => {
      const links = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: created.data.id });
      if (links.length !== 3) return false;
      const found = await shop.client.findBySkus([`${sku}-S`, `${sku}-M`]);
      return found.length === 2 && found.every((v) => v.stock_quantity === (v.sku.endsWith('-S') ? 6 : 2)) ? found : false;
    });

    const same = await view(sku);
    assert.equal(same.shopError, undefined);
    assert.deepEqual(same.items.map((i) => [i.label, i.differences]), [['product', []], ['variation Size=S', []], ['variation Size=M', []]], describeShopView(same));
    assert.equal(stockMatch(same).matches, true);

    const small = same.items[1]!.shop!;
    await shop.client.updateVariation(same.items[0]!.shop!.id, small.id, { stock_quantity: 11 });
    const changed = await view(`${sku}-S`);
    assert.deepEqual(changed.items.map((i) => i.differences), [[], ['stock_quantity'], []], describeShopView(changed));
    assert.deepEqual(stockMatch(changed).items.map((i) => [i.shop, i.pos]), [[11, 6], [2, 2]]);
    console.log(`      ${shop.store.kind} store:\n${describeShopView(changed).split('\n').map((l) => `        ${l}`).join('\n')}`);
  });
});
