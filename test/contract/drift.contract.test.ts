// `possync drift` finds what a shop holds otherwise than the POS would push, and --repair converges (issue 11).
// Runs against the sandbox, and against a real store when WOO_CONTRACT_URL and keys are set (store.ts).
import assert from 'node:assert/strict';
import { simpleProduct, uniqueSku, variableProduct, waitFor } from '../helpers/shop';
import type { drift } from '../../workflows/drift';
import type { DriftItem, DriftResult } from '../../workflows/contracts/drift';
import { describeDrift } from '../../scripts/commands/drift';
import { runCli } from '../cli/run-cli';
import { createDriftRepairActivities } from '../../activities/woocommerce/drift-repair';
import { TEST_HANG_GUARD_MS, useContractShop, useTestStack } from '../helpers/suite-setup';

describe('contract: drift report and repair (issue 11)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useContractShop(stack);

  /** A drift run, with the items of this test only (a real store is shared: other products are not ours to judge). */
  const run = async (prefix: string, opts: { sku?: string; repair?: boolean } = {}): Promise<{ result: DriftResult; items: DriftItem[] }> => {
    const result = await stack.client.workflow.execute<typeof drift>('drift', {
      workflowId: `test-drift/${Date.now()}/${Math.random()}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, ...opts }],
    });
    const report = await shop.api.get(`/api/drift-reports/${result.reportId}`);
    assert.equal(report.status, 200, JSON.stringify(report.data));
    return { result, items: (report.data.items as DriftItem[]).filter((i) => i.sku.startsWith(prefix)) };
  };
  const summary = (items: DriftItem[]) => items.map((i) => `${i.kind} ${i.sku} ${i.fields.join(',')}`).sort();

  it('finds every item changed behind our back, no false positives, and --repair converges', async () => {
    const prefix = uniqueSku('DR');
    const sku = (s: string) => `${prefix}-${s}`;
    const simple = ['STOCK', 'PRICE', 'NAME', 'GONE', 'TRASH', 'SAME'];
    const ids = new Map<string, number>();
    for (const s of simple) {
      const res = await shop.api.post('/api/products', simpleProduct(sku(s)));
      assert.equal(res.status, 201, JSON.stringify(res.data));
      ids.set(s, res.data.id);
    }
    const shirt = await shop.api.post('/api/products', variableProduct(sku('SHIRT'), ['S', 'M']));
    assert.equal(shirt.status, 201, JSON.stringify(shirt.data));
    // Sold in store only: never pushed, so a shop product with its SKU is one the merchant made.
    const local = await shop.api.post('/api/products', simpleProduct(sku('LOCAL'), { channels: ['in_store'] }));
    assert.equal(local.status, 201, JSON.stringify(local.data));
    const count = await shop.api.post('/api/stock-counts', {
      outlet_id: shop.outletId,
      lines: [...simple.map((s) => ({ sku: sku(s), counted: 5 })), { sku: sku('SHIRT-S'), counted: 4 }, { sku: sku('SHIRT-M'), counted: 3 }, { sku: sku('LOCAL'), counted: 8 }],
    });
    assert.equal(count.status, 201, JSON.stringify(count.data));
    const pushedSkus = [...simple.map(sku), sku('SHIRT-S'), sku('SHIRT-M')];
    const inShop = async () => {
      const found = await shop.client.findBySkus(pushedSkus);
      return found.length === pushedSkus.length && found.every((f) => f.stock_quantity === (f.sku.endsWith('-S') ? 4 : f.sku.endsWith('-M') ? 3 : 5)) ? found : false;
    };
    const found = await waitFor('every product in the shop with the POS stock', inShop);
    await waitFor('every product and variant linked', async () =>
      Number((await stack.db('product_links').where({ connection_id: shop.connectionId }).whereIn('product_id', [...ids.values(), shirt.data.id]).count({ n: '*' }))[0]!.n) === 9);
    await waitFor('nothing left to push', async () => Number((await stack.db('batch_push_queue').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n) === 0
      && Number((await stack.db('products').whereRaw('sku LIKE ?', [`${prefix}%`]).andWhere({ push_pending: true }).count({ n: '*' }))[0]!.n) === 0);

    const clean = await run(prefix);
    assert.deepEqual(summary(clean.items), [], describeDrift(clean.result, clean.items));
    assert.ok(clean.result.requests >= clean.result.pages);

    const remote = (s: string) => found.find((f) => f.sku === sku(s))!;
    await shop.client.updateProduct(remote('STOCK').id, { stock_quantity: 99 });
    await shop.client.updateProduct(remote('PRICE').id, { regular_price: '1.00' });
    await shop.client.updateProduct(remote('NAME').id, { name: 'Renamed in the shop' });
    await shop.client.deleteProduct(remote('GONE').id, { force: true });
    // Trashed by the merchant: pushes leave it in the trash (issue 6.6), so it is no drift.
    await shop.client.deleteProduct(remote('TRASH').id);
    const shirtM = remote('SHIRT-M') as { id: number; parent_id: number };
    await shop.client.updateVariation(shirtM.parent_id, shirtM.id, { stock_quantity: 30 });
    const made = await shop.client.createProduct({ name: 'Made in the shop', type: 'simple', sku: sku('LOCAL'), regular_price: '2.00', manage_stock: true, stock_quantity: 1 });

    const found1 = await run(prefix);
    const text = describeDrift(found1.result, found1.items);
    assert.deepEqual(summary(found1.items), [
      `differs ${sku('NAME')} name`,
      `differs ${sku('PRICE')} regular_price`,
      `differs ${sku('SHIRT-M')} stock_quantity`,
      `differs ${sku('STOCK')} stock_quantity`,
      `missing ${sku('GONE')} missing in the shop`,
      `unlinked ${sku('LOCAL')} `,
    ], text);
    assert.equal(found1.items.find((i) => i.kind === 'unlinked')!.remote_id, made.id);
    assert.match(text, /stock_quantity shop 99 \/ POS 5/);
    // Only this SKU: one lookup, the same finding.
    const one = await run(prefix, { sku: sku('PRICE') });
    assert.deepEqual(summary(one.items), [`differs ${sku('PRICE')} regular_price`]);
    console.log(`      ${shop.store.kind} store:\n${text.split('\n').map((l) => `        ${l}`).join('\n')}`);

    const repaired = await runCli(stack, 'drift', shop.connectionId, '--repair');
    // The repair takes the whole connection: a shared real store also holds other tests' products with POS SKUs, relinked too.
    const relinked = Number(/repaired: \d+ queued for the batched push \((\d+) of them relinked by SKU\), 1 handed to their push saga/.exec(repaired.stdout)?.[1]);
    if (shop.store.kind === 'sandbox') assert.equal(relinked, 1, repaired.stdout);
    else assert.ok(relinked >= 1, repaired.stdout);
    console.log(`      possync drift --repair:\n${repaired.stdout.trim().split('\n').map((l) => `        ${l}`).join('\n')}`);

    await waitFor('the shop holding the POS values again', async () => {
      const now = await shop.client.findBySkus([...pushedSkus, sku('LOCAL')]);
      const bySku = new Map(now.map((f) => [f.sku, f]));
      // LOCAL is linked now; TRASH stays in the trash.
      return now.length === pushedSkus.length && !bySku.has(sku('TRASH'))
        && bySku.get(sku('STOCK'))?.stock_quantity === 5 && Number(bySku.get(sku('PRICE'))?.regular_price) === 19.99
        && bySku.get(sku('NAME'))?.name === `Product ${sku('NAME')}` && bySku.get(sku('SHIRT-M'))?.stock_quantity === 3
        && bySku.get(sku('LOCAL'))?.stock_quantity === 8 && bySku.get(sku('LOCAL'))?.id === made.id;
    });
    await waitFor('a drift run that finds nothing', async () => {
      const again = await run(prefix);
      return again.items.length === 0 && Number((await stack.db('batch_push_queue').where({ connection_id: shop.connectionId }).count({ n: '*' }))[0]!.n) === 0;
    });
    const json = JSON.parse((await runCli(stack, 'drift', shop.connectionId, '--sku', sku('STOCK'), '--json')).stdout);
    assert.deepEqual(json.counts, { differs: 0, unlinked: 0, missing: 0 });
    assert.deepEqual(json.items, []);
    assert.equal(json.pages, 1);
  });

  it('repairs a report once: concurrent or later repairs of it answer what was done and queue nothing more', async () => {
    const prefix = uniqueSku('DRX');
    const created = await shop.api.post('/api/products', simpleProduct(prefix));
    assert.equal(created.status, 201, JSON.stringify(created.data));
    assert.equal((await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: prefix, counted: 6 }] })).status, 201);
    const [pushed] = await waitFor('the product in the shop with its stock', async () => {
      const f = await shop.client.findBySkus([prefix]);
      const linked = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: created.data.id }).first();
      return f.length === 1 && f[0]!.stock_quantity === 6 && linked && !(await stack.db('products').where({ id: created.data.id }).first()).push_pending ? f : false;
    });
    await shop.client.updateProduct(pushed!.id, { stock_quantity: 60 });
    const found = await run(prefix);
    assert.deepEqual(summary(found.items), [`differs ${prefix} stock_quantity`]);
    const repair = createDriftRepairActivities({ db: stack.db });
    const input = { reportId: found.result.reportId, connectionId: shop.connectionId };
    const answers = await Promise.all([repair.repairDrift(input), repair.repairDrift(input), repair.repairDrift(input)]);
    assert.deepEqual(answers, Array(3).fill({ queued: 1, relinked: 0, recreated: 0, leftAlone: 0 }));
    await waitFor('the POS stock back in the shop, nothing left queued', async () => (await shop.client.findBySkus([prefix]))[0]?.stock_quantity === 6
      && (await stack.db('batch_push_queue').where({ connection_id: shop.connectionId, product_id: created.data.id }).first()) === undefined);
    // The same report repaired again (a retried activity): the answer of the repair that was done, nothing queued.
    assert.deepEqual(await repair.repairDrift(input), answers[0]);
    assert.equal(await stack.db('batch_push_queue').where({ connection_id: shop.connectionId, product_id: created.data.id }).first(), undefined);
    assert.equal(await stack.db('batch_push_wakeups').where({ connection_id: shop.connectionId }).first(), undefined);
  });
});
