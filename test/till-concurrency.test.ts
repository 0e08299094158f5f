import assert from 'node:assert/strict';
import { seedCatalog } from '../db/seed-generated';
import { transactionRetries } from '../server/transaction';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';
import { waitFor } from './helpers/shop';
import { useShop, useTestStack } from './helpers/suite-setup';

/**
 * Issue 7.10: sales and the batched push lock products in one order (by id), and a deadlock or
 * serialization failure that still happens is retried inside the request: no till sees a 500.
 */
describe('20 parallel tills and the batched push: no deadlock reaches a till (issue 7.10)', function () {
  this.timeout(600_000);
  const stack = useTestStack();
  const shop = useShop(stack);

  it('20 tills selling overlapping products in random line order while the batch push runs: zero 500s, every level exact', async () => {
    await stack.db('products').update({ channels: ['in_store'] });
    const prefix = `DL${Date.now() % 100000}`;
    const { productIds } = await seedCatalog(stack.db, { prefix, simple: 24, variable: 4, variations: 3, outletId: shop.outletId });
    await stack.client.workflow.execute<typeof catalogSync>('catalogSync', {
      workflowId: `${catalogSyncWorkflowId(shop.connectionId)}-${prefix}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId }],
    });
    const items: { sku: string; remoteId: number }[] = (await stack.db('product_links as l')
      .leftJoin('variants as v', 'v.id', 'l.variant_id')
      .join('products as p', 'p.id', 'l.product_id')
      .where('l.connection_id', shop.connectionId)
      .whereIn('l.product_id', productIds)
      .andWhere((q) => q.whereNotNull('l.variant_id').orWhere('p.type', 'simple'))
      .select(stack.db.raw('coalesce(v.sku, p.sku) AS sku'), 'l.remote_id as remoteId'))
      .map((r: { sku: string; remoteId: string }) => ({ sku: r.sku, remoteId: Number(r.remoteId) }));
    assert.equal(items.length, 36);

    const sold = new Map<string, number>();
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const retriesBefore = transactionRetries.count;
    await Promise.all(Array.from({ length: 20 }, async () => {
      for (let n = 0; n < 60; n++) {
        // 2 to 6 distinct items, in random order: tills do not sort their baskets.
        const basket = [...items].sort(() => random() - 0.5).slice(0, 2 + Math.floor(random() * 5));
        const lines = basket.map((i) => ({ sku: i.sku, quantity: 1 + Math.floor(random() * 2) }));
        const res = await shop.api.post('/api/sales', { register_id: shop.registerId, lines });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) lines.forEach((l) => sold.set(l.sku, (sold.get(l.sku) ?? 0) + l.quantity));
        else failures.push(`${res.status} ${JSON.stringify(res.data)}`);
      }
    }));
    const retried = transactionRetries.count - retriesBefore;
    console.log(`      1200 sales by 20 tills: ${JSON.stringify(Object.fromEntries(statuses))}; transactions retried after a deadlock/serialization failure: ${retried}`);
    assert.deepEqual(failures, [], 'every sale committed');

    const levels: { sku: string; quantity: number }[] = await stack.db('inventory as i')
      .leftJoin('variants as v', 'v.id', 'i.variant_id')
      .join('products as p', 'p.id', 'i.product_id')
      .where('i.outlet_id', shop.outletId)
      .whereIn('i.product_id', productIds)
      .select(stack.db.raw('coalesce(v.sku, p.sku) AS sku'), 'i.quantity');
    for (const l of levels) assert.equal(Number(l.quantity), 1000 - (sold.get(l.sku) ?? 0), `${l.sku}: each committed sale moved the stock exactly once`);
    await waitFor('the shop to hold the POS stock of every item', () =>
      items.every((i) => shop.sandbox.state.stockOf(i.remoteId) === 1000 - (sold.get(i.sku) ?? 0)));
  });

  it('CSV imports with stock columns while tills sell the same products: zero 500s', async () => {
    const outlet = await stack.db('outlets').where({ id: shop.outletId }).first('name');
    const skus = Array.from({ length: 20 }, (_, i) => `CSVDL${Date.now() % 100000}-${i}`);
    const csv = (round: number) => [`sku,name,retail_price,stock:${outlet.name}`, ...skus.map((sku, i) => `${sku},Round ${round} ${i},${5 + i},500`)].join('\n');
    const first = await shop.api.post('/api/products/import', csv(0), { headers: { 'content-type': 'text/csv' } });
    assert.equal(first.status, 201, JSON.stringify(first.data));
    const statuses = new Map<string, number>();
    const count = (what: string, status: number) => statuses.set(`${what} ${status}`, (statuses.get(`${what} ${status}`) ?? 0) + 1);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const retriesBefore = transactionRetries.count;
    await Promise.all([
      ...Array.from({ length: 4 }, async (_, round) => {
        // Each import lists the products in another order.
        const rows = csv(round + 1).split('\n');
        const body = [rows[0], ...rows.slice(1).sort(() => random() - 0.5)].join('\n');
        count('import', (await shop.api.post('/api/products/import', body, { headers: { 'content-type': 'text/csv' } })).status);
      }),
      ...Array.from({ length: 10 }, async () => {
        for (let n = 0; n < 10; n++) {
          const lines = [...skus].sort(() => random() - 0.5).slice(0, 4).map((sku) => ({ sku, quantity: 1 }));
          count('sale', (await shop.api.post('/api/sales', { register_id: shop.registerId, lines })).status);
        }
      }),
    ]);
    console.log(`      4 CSV imports and 100 sales: ${JSON.stringify(Object.fromEntries(statuses))}; transactions retried: ${transactionRetries.count - retriesBefore}`);
    assert.deepEqual([...statuses.keys()].sort(), ['import 201', 'sale 201']);
  });
});
