import assert from 'node:assert/strict';
import { connectContractStore, type ContractShop } from './helpers/contract-shop';
import { mirroredCatalog, posStockBySku, setStartDate } from './helpers/orders';
import { waitFor } from './helpers/shop';
import { ensureOrderPoll } from '../stack/order-sync-starter';
import { orderPollStatusQuery, orderPollWorkflowId } from '../workflows/contracts/order-sync';
import { useTestStack, SETUP_HANG_GUARD_MS, TEST_HANG_GUARD_MS } from './helpers/suite-setup';

/**
 * Issue 8 point 7: the long-lived order poll alone (no webhook) brings a shop's new and changed
 * orders into the POS. Runs against the sandbox, or a real store with WOO_CONTRACT_URL and keys.
 */
describe('the long-lived order poll against a store (issue 8 point 7)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  let shop: ContractShop;
  let skus: string[];

  before(async function () {
    this.timeout(SETUP_HANG_GUARD_MS);
    shop = await connectContractStore(stack);
    skus = await mirroredCatalog(stack, shop, `PST${Date.now() % 1000000}`);
    await setStartDate(stack, shop.connectionId, new Date(Date.now() - 5_000));
  });
  after(async () => {
    await stack?.client.workflow.getHandle(orderPollWorkflowId(shop.connectionId)).terminate('test done').catch(() => undefined);
    await shop?.store.close();
  });

  const stockOf = async (sku: string) => (await posStockBySku(stack, shop.outletId)).get(sku);

  it('a new order and its cancellation reach the POS through the poll alone', async () => {
    await ensureOrderPoll(stack.client, stack.config.temporal.taskQueue, shop.connectionId, 2);
    const client = stack.woo.get(shop.connectionId);
    const order = await client.createOrder({ status: 'processing', line_items: [{ sku: skus[0]!, quantity: 2 }] });
    await waitFor(`order ${order.id} deducted by the poll`, async () => (await stockOf(skus[0]!)) === 98);
    await client.updateOrder(order.id, { status: 'cancelled' });
    await waitFor(`the cancellation of order ${order.id} given back by the poll`, async () => (await stockOf(skus[0]!)) === 100);
    const status = await stack.client.workflow.getHandle(orderPollWorkflowId(shop.connectionId)).query(orderPollStatusQuery);
    assert.ok(status.polls >= 2 && status.cursor, 'polled, with a cursor');
    assert.equal(status.lastError, undefined);
  });
});
