import assert from 'node:assert/strict';
import type { orderSync } from '../workflows/order-maintenance';
import { mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { useContractShop, useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Issue 6.8 / M-B10: a live order moves POS stock exactly as it moves the shop's stock, through
 * status changes and refunds (the table is verified on a real store in test/contract/order-stock.test.ts).
 * Runs against the sandbox, or a real store with WOO_CONTRACT_URL and keys; each change is synced by
 * the orderSync workflow a webhook starts (the webhook path itself: test/order-sync.test.ts).
 */
describe('live orders move POS stock as WooCommerce moves its own (M-B10, issue 6.8)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useContractShop(stack);
  let skus: string[];
  let syncs = 0;

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    skus = await mirroredCatalog(stack, shop, `EFF${Date.now() % 1000000}`);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 5_000));
  });

  const client = () => stack.woo.get(shop.connectionId);
  const stockOf = async (sku: string) => (await posStockBySku(stack, shop.outletId)).get(sku);
  /** Syncs the order as a webhook delivery would, and checks possync recorded it as the shop has it now. */
  async function applied(orderId: number): Promise<void> {
    syncs += 1;
    await stack.client.workflow.execute<typeof orderSync>('orderSync', {
      workflowId: `order-sync/${shop.connectionId}/${orderId}/effect-${syncs}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, orderId }],
    });
    const o = await client().getOrder(orderId);
    const want = o.line_items.reduce((s, l) => s + (Number(l.meta_data.find((m) => m.key === '_reduced_stock')?.value ?? 0) || 0), 0);
    const row = await stack.db('remote_orders').where({ connection_id: shop.connectionId, remote_order_id: orderId }).first('status', 'applied');
    assert.equal(row?.status, o.status);
    assert.equal((row?.applied ?? []).reduce((s: number, a: { quantity: number }) => s + a.quantity, 0), want);
  }
  const buy = async (sku: string, quantity: number) => {
    const o = await client().createOrder({ status: 'processing', line_items: [{ sku, quantity }] });
    await applied(o.id);
    return o;
  };

  it('a live order set to refunded gives no stock back (the shop gives none)', async () => {
    const o = await buy(skus[0]!, 3);
    assert.equal(await stockOf(skus[0]!), 97);
    await client().updateOrder(o.id, { status: 'refunded' });
    await applied(o.id);
    assert.equal(await stockOf(skus[0]!), 97, 'still deducted, as in the shop');
    await client().updateOrder(o.id, { status: 'cancelled' });
    await applied(o.id);
    assert.equal(await stockOf(skus[0]!), 100, 'cancelling a refunded order gives it back, as in the shop');
  });

  it('a partial refund with restock gives back exactly the restocked quantity; without restock nothing', async () => {
    const o = await buy(skus[1]!, 4);
    assert.equal(await stockOf(skus[1]!), 96);
    await client().createOrderRefund(o.id, { amount: '10', api_refund: false, line_items: [{ id: o.line_items[0]!.id, quantity: 1, refund_total: 10 }] });
    await applied(o.id);
    assert.equal(await stockOf(skus[1]!), 97, 'one unit restocked');
    await client().createOrderRefund(o.id, { amount: '10', api_refund: false, api_restock: false, line_items: [{ id: o.line_items[0]!.id, quantity: 1, refund_total: 10 }] });
    await applied(o.id);
    assert.equal(await stockOf(skus[1]!), 97, 'a refund without restock moves nothing');
    await client().updateOrder(o.id, { status: 'cancelled' });
    await applied(o.id);
    assert.equal(await stockOf(skus[1]!), 100, 'cancelled: the rest comes back, the restocked unit not twice');
  });

  it('a failed payment after processing keeps the stock out, as the shop does', async () => {
    const o = await buy(skus[2]!, 2);
    await client().updateOrder(o.id, { status: 'failed' });
    await applied(o.id);
    assert.equal(await stockOf(skus[2]!), 98);
  });
});
