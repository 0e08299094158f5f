import assert from 'node:assert/strict';
import { uniqueSku, variableProduct, waitFor } from '../helpers/shop';
import type { shopView } from '../../workflows/shop-view';
import type { ShopViewResult } from '../../workflows/contracts/shop-view';
import { describeShopView, stockMatch } from '../../scripts/commands/shop';
import { WooClient } from '../../activities/woocommerce/client';
import { runCli } from './run-cli';
import { useShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from '../helpers/suite-setup';

/** Issue 8.4b and 8.5: what the shop holds beside what the POS would push, read through a workflow. */
describe('CLI: `possync shop` and the shop stock in `possync status` (issue 8.4, 8.5)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  let sku: string;

  const view = (s: string) => stack.client.workflow.execute<typeof shopView>('shopView', {
    workflowId: `test-shop-view/${Date.now()}/${Math.random()}`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId: shop.connectionId, sku: s }],
  });
  const cli = async (...args: string[]) => (await runCli(stack, ...args)).stdout;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    sku = uniqueSku('SV');
    const created = await shop.api.post('/api/products', variableProduct(sku, ['S', 'M']));
    assert.equal(created.status, 201, JSON.stringify(created.data));
    const count = await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: `${sku}-S`, counted: 5 }, { sku: `${sku}-M`, counted: 3 }] });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    await waitFor('both variations in the shop with the POS stock', () =>
      shop.sandbox.state.findBySku(`${sku}-S`)?.stock_quantity === 5 && shop.sandbox.state.findBySku(`${sku}-M`)?.stock_quantity === 3);
    await waitFor('the product and its two variants linked', async () =>
      Number((await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: created.data.id }).count({ n: '*' }))[0]!.n) === 3);
  });

  it('a product the shop holds as pushed: every item the same, with the shop ids', async () => {
    const r: ShopViewResult = await view(sku);
    assert.equal(r.shopError, undefined);
    assert.equal(r.pos?.sku, sku);
    assert.deepEqual(r.items.map((i) => i.label), ['product', 'variation Size=S', 'variation Size=M']);
    assert.deepEqual(r.items.map((i) => i.differences), [[], [], []]);
    const parent = shop.sandbox.state.findBySku(sku);
    assert.equal(r.items[0]!.shop?.id, parent.id);
    assert.equal(r.items[0]!.linkedRemoteId, parent.id);
    assert.deepEqual(r.items.slice(1).map((i) => i.shop?.stock_quantity), [5, 3]);
    assert.equal(stockMatch(r).matches, true);
    // A variant's SKU shows its whole product too.
    assert.equal((await view(`${sku}-M`)).items.length, 3);
  });

  it('marks what the merchant changed in the shop, and `possync shop` prints it beside the POS', async () => {
    const parent = shop.sandbox.state.findBySku(sku);
    const small = shop.sandbox.state.findBySku(`${sku}-S`);
    shop.sandbox.state.editVariation(parent.id, small.id, { stock_quantity: 9, regular_price: '99.00' });
    const r = await view(sku);
    assert.deepEqual(r.items[1]!.differences, ['stock_quantity', 'regular_price']);
    assert.deepEqual(r.items[2]!.differences, []);
    const m = stockMatch(r);
    assert.equal(m.matches, false);
    assert.deepEqual(m.items.map((i) => [i.label, i.shop, i.pos, i.matches]), [['variation Size=S', 9, 5, false], ['variation Size=M', 3, 3, true]]);
    assert.match(describeShopView(r), /1 of 3 items differ/);

    const out = await cli('shop', shop.connectionId, sku);
    assert.match(out, /variation Size=S: shop #\d+, .*DIFFERS: stock_quantity, regular_price/);
    assert.match(out, /stock_quantity\s+9\s+5\s+<- differs/);
    assert.match(out, /regular_price\s+99\.00\s+20\.00\s+<- differs/);
    assert.match(out, /variation Size=M: shop #\d+, .* same/);
  });

  it('`possync status` shows the shop stock per item and a mismatch line', async () => {
    const out = await cli('status', sku);
    assert.match(out, new RegExp(`shop stock in ${shop.connectionId}: MISMATCH in 1 of 2 items`));
    assert.match(out, /variation Size=S: shop 9, POS 5\s+<- differs/);
    assert.match(out, /variation Size=M: shop 3, POS 3$/m);
  });

  it('a SKU only the shop has is shown as "not in the POS"; one neither has, as nothing', async () => {
    const only = uniqueSku('SHOPONLY');
    const client = new WooClient({ baseUrl: shop.sandbox.url, consumerKey: shop.sandbox.consumerKey, consumerSecret: shop.sandbox.consumerSecret });
    const made = await client.createProduct({ name: 'Made in the shop', sku: only, type: 'simple', regular_price: '4.00', manage_stock: true, stock_quantity: 2 });
    client.close();
    const r = await view(only);
    assert.equal(r.pos, null);
    assert.deepEqual(r.items.map((i) => [i.shop?.id, i.shop?.stock_quantity, i.differences]), [[made.id, 2, ['not in the POS']]]);
    assert.match(describeShopView(r), /the POS has no product or variant with this SKU/);
    assert.match(describeShopView(await view('NO-SUCH-SKU-ANYWHERE')), /the shop has nothing with this SKU/);
  });

  it('with the shop down, `possync status` still answers and says why the shop could not be read', async () => {
    await shop.sandbox.close();
    const out = await cli('status', sku);
    assert.match(out, new RegExp(`shop stock in ${shop.connectionId}: UNKNOWN, the shop could not be read: WooCommerce GET .*(ECONNREFUSED|no response)`));
    assert.match(out, /recent sync log:/);
  });
});
