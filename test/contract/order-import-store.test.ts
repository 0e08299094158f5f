import assert from 'node:assert/strict';
import { apiClient } from '../helpers/api';
import { WorkflowFailedError } from '@temporalio/client';
import { testStack } from '../helpers/test-stack';
import { waitFor, type TestShop } from '../helpers/shop';
import { expectedDeductions, mirroredCatalog, posStockBySku, setStartDate } from '../helpers/orders';
import { importProgressQuery, orderImportWorkflowId, pauseImportUpdate, resumeImportUpdate } from '../../workflows/contracts/order-import';
import type { orderImport } from '../../workflows/order-import';
import type { Stack } from '../../stack/start';
import { openContractStore, type ContractStore } from './store';

/**
 * Issue 7.4 and 7.6 end to end, on the sandbox and (with WOO_CONTRACT_URL) on a real WooCommerce
 * 8.9 store: the import reads the history after its cursor, orders deleted while it is paused
 * shift nothing, and its figures are the database's.
 */
describe('contract: the order import against the store (issue 7.4, 7.6)', function () {
  this.timeout(600_000);
  let store: ContractStore;
  let stack: Stack;

  before(async function () {
    this.timeout(300_000);
    // The sandbox at about a real store's pace, so a pause after the first page lands before the last one.
    store = await openContractStore({ latency: { perRequestMs: 250 } });
    await store.reset();
    stack = await testStack();
  });
  after(async () => store?.close());

  /** A POS connection to the store, with a small catalog mirrored in both. */
  async function connect() {
    const tag = `${process.pid}-${Date.now() % 100000}`;
    const { db } = stack;
    const [outlet] = await db('outlets').insert({ name: `Store outlet ${tag}` }, ['id']);
    const [other] = await db('outlets').insert({ name: `Store other ${tag}` }, ['id']);
    const [register] = await db('registers').insert({ outlet_id: outlet.id, name: `Store register ${tag}` }, ['id']);
    const connectionId = `store-${tag}`;
    await db('connections').update({ active: false });
    await db('connections').insert({ id: connectionId, kind: 'woocommerce', name: `Store ${tag}`, base_url: store.url, register_id: register.id });
    stack.woo.set(connectionId, { baseUrl: store.url, consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
    const shop = {
      connectionId, outletId: outlet.id, otherOutletId: other.id, registerId: register.id,
      api: apiClient(stack),
    } as unknown as TestShop;
    const skus = await mirroredCatalog(stack, shop, `ST${Date.now() % 100000}`);
    const client = stack.woo.get(connectionId);
    return { connectionId, outlet, skus, client };
  }

  /** 240 orders, three batches of 80 with mixed statuses; the connection starts after them. */
  async function placeHistory(connectionId: string, skus: string[]) {
    const client = stack.woo.get(connectionId);
    const statuses = ['completed', 'processing', 'cancelled', 'completed', 'on-hold'] as const;
    for (let b = 0; b < 3; b++) {
      const create = Array.from({ length: 80 }, (_, i) => ({
        status: statuses[(b * 80 + i) % statuses.length],
        line_items: [{ sku: skus[(b + i) % skus.length]!, quantity: 1 + (i % 3) }, { sku: skus[(b + 2 * i + 1) % skus.length]!, quantity: 1 }],
      }));
      const r = await client.batchOrders({ create });
      assert.ok((r.create ?? []).every((o) => o.id > 0), 'orders created');
    }
    await setStartDate(stack, connectionId, new Date(Date.now() + 120_000));
  }

  it('imports every history order once, oldest first, while orders already imported are deleted', async () => {
    const { connectionId, outlet, skus, client } = await connect();
    const { db } = stack;
    await placeHistory(connectionId, skus);
    const all = [];
    for (let page = 1; ; page++) {
      const list = await client.listOrders({ per_page: 100, page, orderby: 'id', order: 'asc' });
      all.push(...list.items);
      if (list.items.length < 100) break;
    }
    assert.equal(all.length, 240);
    const expected = expectedDeductions(all, { before: new Date(Date.now() + 120_000) });
    const units = [...expected.bySku.values()].reduce((a, b) => a + b, 0);
    const before = await posStockBySku(stack, outlet.id);

    const handle = await stack.client.workflow.start<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(connectionId)}/store`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId, pagesPerRun: 2 }],
    });
    await waitFor('the first page', async () => (await handle.query(importProgressQuery)).pagesDone >= 1, 120_000);
    const stopped = await handle.executeUpdate(pauseImportUpdate);
    assert.equal(stopped.phase, 'paused');
    assert.ok(stopped.ordersDone < 240, 'paused mid-import');
    const imported: number[] = (await db('remote_orders').where({ connection_id: connectionId }).pluck('remote_order_id')).map(Number);
    const deleted = imported.slice(5, 35);
    await client.batchOrders({ delete: deleted });
    await handle.executeUpdate(resumeImportUpdate);
    const done = await handle.result();

    assert.equal(done.phase, 'done');
    const rows: number[] = (await db('remote_orders').where({ connection_id: connectionId }).pluck('remote_order_id')).map(Number).sort((a, b) => a - b);
    assert.deepEqual(rows, all.map((o) => o.id).sort((a, b) => a - b), 'every order once: none shifted out by the deletions');
    assert.equal(done.ordersDone, 240);
    assert.equal(done.deducted, units);
    const after = await posStockBySku(stack, outlet.id);
    for (const sku of skus) assert.equal(after.get(sku), before.get(sku)! - (expected.bySku.get(sku) ?? 0), `stock of ${sku}`);
  });

  it('a store that loses its orders mid-import fails the import loudly instead of ending "done" (issue 7.6)', async () => {
    await store.reset();
    const { connectionId, skus } = await connect();
    await placeHistory(connectionId, skus);
    const handle = await stack.client.workflow.start<typeof orderImport>('orderImport', {
      workflowId: `${orderImportWorkflowId(connectionId)}/lost-store`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId, contradictionRetries: 2, contradictionDelaySeconds: 1 }],
    });
    await waitFor('the first page', async () => (await handle.query(importProgressQuery)).pagesDone >= 1, 120_000);
    await handle.executeUpdate(pauseImportUpdate);
    // The store comes back without its orders (a restore of an empty database).
    await store.reset();
    await handle.executeUpdate(resumeImportUpdate);
    const err = await handle.result().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError, `the import failed (got ${JSON.stringify(err)})`);
    assert.match(String(err.cause?.message), /stopped after \d+ of 240 orders: the store lists no history orders at all/);
  });
});
