import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { runIncrementalAggregation } from '../activities/aggregation/runs';
import { removeConnectionSchedules } from '../stack/connection-schedules';
import { ensureStockAggregationSchedule } from '../stack/stock-aggregation-schedule';
import { stockAggregationRunId, stockAggregationScheduleId, type StockAggregationResult } from '../workflows/contracts/stock-aggregation';
import type { stockAggregation } from '../workflows/stock-aggregation';
import { runCli } from './cli/run-cli';
import { startWorkerProcess, type WorkerProcess } from './helpers/processes';
import { simpleProduct, uniqueSku, variableProduct, waitFor } from './helpers/shop';
import { TEST_HANG_GUARD_MS, useShop, useTestStack } from './helpers/suite-setup';

/** Issue 11: the periodic stock aggregation compares the summed stock with what each shop was last given. */
describe('stock aggregation (issue 11)', function () {
  this.timeout(TEST_HANG_GUARD_MS);
  const stack = useTestStack();
  const shop = useShop(stack);
  const workers: WorkerProcess[] = [];
  after(() => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
  });

  const shopStock = (sku: string): number | undefined => shop.sandbox.state.findBySku(sku)?.stock_quantity;
  const productId = async (sku: string): Promise<number> => (await stack.db('products').where({ sku }).first('id')).id;
  /** A change behind the push's back: the level and its movement row written in SQL, no outbox. */
  const behindTheBack = async (db: Knex | Knex.Transaction, id: number, quantity: number, movement = true): Promise<void> => {
    const [row] = await db('inventory').where({ outlet_id: shop.outletId, product_id: id }).whereNull('variant_id').update({ quantity }, ['quantity']);
    assert.ok(row, 'the product has an inventory row');
    if (movement) await db('stock_movements').insert({ kind: 'adjustment', outlet_id: shop.outletId, product_id: id, delta: 0, quantity_after: quantity });
  };
  const run = async (mode: 'incremental' | 'full', suffix = ''): Promise<StockAggregationResult> =>
    stack.client.workflow.execute<typeof stockAggregation>('stockAggregation', {
      workflowId: `${stockAggregationRunId(shop.connectionId, Date.now())}${suffix}`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, mode }],
    });
  const state = async () => stack.db('stock_aggregation_state').where({ connection_id: shop.connectionId }).first();
  const queuedNow = async (ids: number[]) => (await stack.db('batch_push_queue').where({ connection_id: shop.connectionId }).whereIn('product_id', ids).pluck('product_id')).length;

  const skus: string[] = [];
  it('every push records the stock it wrote; a change behind the push\'s back is queued by the next run and reaches the shop', async () => {
    for (let i = 0; i < 3; i += 1) {
      const sku = uniqueSku('AGG');
      skus.push(sku);
      assert.equal((await shop.api.post('/api/products', simpleProduct(sku))).status, 201);
      assert.equal((await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku, counted: 10 + i }] })).status, 201);
    }
    const vsku = uniqueSku('AGGV');
    assert.equal((await shop.api.post('/api/products', variableProduct(vsku, ['S', 'M']))).status, 201);
    assert.equal((await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: [{ sku: `${vsku}-S`, counted: 4 }, { sku: `${vsku}-M`, counted: 6 }] })).status, 201);
    for (const [i, sku] of skus.entries()) await waitFor(`${sku} in the shop`, () => shopStock(sku) === 10 + i);
    const vid = await productId(vsku);
    await waitFor('the variations\' stock written and recorded', async () => {
      const rows = await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: vid }).orderBy('variant_id').select('variant_id', 'pushed_stock');
      return rows.length === 3 && rows.filter((r) => r.variant_id !== null).map((r) => r.pushed_stock).join() === '4,6';
    });
    const ids = await Promise.all(skus.map(productId));
    await waitFor('pushed_stock of the simple products', async () =>
      (await stack.db('product_links').where({ connection_id: shop.connectionId }).whereIn('product_id', ids).orderBy('product_id').pluck('pushed_stock')).join() === '10,11,12');

    const baseline = await run('incremental');
    assert.equal(baseline.differed, 0, JSON.stringify(baseline));
    assert.equal(baseline.queued, 0);

    await behindTheBack(stack.db, ids[0]!, 3);
    await behindTheBack(stack.db, ids[1]!, 11); // moved, same level: compared, not queued
    const out = await runCli(stack, 'aggregate', shop.connectionId);
    assert.match(out.stdout, /\(incremental\): \d+ items compared, 1 differed, 1 queued/);
    await waitFor('the level changed behind the push\'s back in the shop', () => shopStock(skus[0]!) === 3);
    await waitFor('its pushed_stock', async () => (await stack.db('product_links').where({ connection_id: shop.connectionId, product_id: ids[0] }).first('pushed_stock')).pushed_stock === 3);
  });

  it('a movement committed late (its id below the watermark) is caught by the overlap; a level changed without any movement by the full pass', async () => {
    const ids = await Promise.all(skus.map(productId));
    const late = await stack.db.transaction();
    try {
      await behindTheBack(late, ids[1]!, 20); // takes its movement id now, commits after the next run
      await behindTheBack(stack.db, ids[2]!, 12); // a later id, committed at once (same level)
      const first = await runIncrementalAggregation(stack.db, shop.connectionId);
      assert.equal(first.queued, 0, 'the uncommitted movement is not seen yet');
      await late.commit();
    } catch (err) {
      await late.rollback();
      throw err;
    }
    const second = await run('incremental');
    assert.equal(second.queued, 1, JSON.stringify(second));
    await waitFor('the late movement\'s level in the shop', () => shopStock(skus[1]!) === 20);

    // The first product's movement is outside the windows read now (this run reads the last one again).
    await behindTheBack(stack.db, ids[0]!, 30, false);
    assert.equal((await run('incremental')).queued, 0, 'no movement: the incremental run cannot see it');
    const full = await runCli(stack, 'aggregate', shop.connectionId, '--full');
    assert.match(full.stdout, /\(full\): 5 items compared, 1 differed, 1 queued/);
    await waitFor('the level in the shop', () => shopStock(skus[0]!) === 30);
    await waitFor('nothing left queued', async () => (await queuedNow(ids)) === 0);
    const again = await run('full');
    assert.deepEqual([again.compared, again.differed, again.queued], [5, 0, 0], 'a full pass with nothing differing queues nothing');
  });

  it('two runs fired together queue a difference once and leave the watermark at the last movement', async () => {
    const ids = await Promise.all(skus.map(productId));
    await behindTheBack(stack.db, ids[2]!, 41);
    const runs = await Promise.all([run('incremental', '-a'), run('incremental', '-b')]);
    assert.equal(runs[0].queued + runs[1].queued, 1, JSON.stringify(runs));
    const top = (await stack.db('stock_movements').max('id as id').first())!.id;
    assert.equal(String((await state()).watermark), String(top));
    await waitFor('the level in the shop', () => shopStock(skus[2]!) === 41);
  });

  it('a full pass whose worker is killed goes on from its cursor on the next worker', async () => {
    // 600 more linked products, all as last written: the pass has many ranges to walk.
    const tag = uniqueSku('AGGK');
    await stack.db.raw(
      `WITH p AS (INSERT INTO products (sku, type, name, channels) SELECT ? || '-' || g, 'simple', 'Seeded', '{in_store}' FROM generate_series(1, 600) g RETURNING id),
            i AS (INSERT INTO inventory (outlet_id, product_id, quantity) SELECT ?, id, 7 FROM p)
       INSERT INTO product_links (connection_id, product_id, remote_id, pushed_stock, pushed_version) SELECT ?, id, 900000000 + id, 7, 1 FROM p`,
      [tag, shop.outletId, shop.connectionId],
    );
    const ids = await Promise.all(skus.map(productId));
    await behindTheBack(stack.db, ids[1]!, 2, false);
    const taskQueue = `agg-kill-${process.pid}-${Date.now()}`;
    const worker = async () => {
      const w = await startWorkerProcess(stack, { taskQueue, connectionId: shop.connectionId, woo: { url: shop.sandbox.url, key: shop.sandbox.consumerKey, secret: shop.sandbox.consumerSecret } });
      workers.push(w);
      await w.ready;
      return w;
    };
    const first = await worker();
    const handle = await stack.client.workflow.start<typeof stockAggregation>('stockAggregation', {
      workflowId: `${stockAggregationRunId(shop.connectionId, Date.now())}-kill`, taskQueue,
      args: [{ connectionId: shop.connectionId, mode: 'full', rangeSize: 3 }],
    });
    await waitFor('the pass a third of the way', async () => {
      const st = await state();
      return st.full_cursor !== null && st.full_compared >= 200;
    });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const cursor = (await state()).full_cursor;
    assert.notEqual(cursor, null, 'killed in the middle of the pass');
    await worker();
    const result = await handle.result();
    const items = Number((await stack.db.raw(
      `SELECT count(*) AS n FROM product_links l JOIN products p ON p.id = l.product_id
        WHERE l.connection_id = ? AND (l.variant_id IS NOT NULL OR p.type = 'simple')`, [shop.connectionId],
    )).rows[0].n);
    assert.deepEqual([result.compared, result.differed, result.queued], [items, 1, 1], 'every item compared once, from the cursor on');
    await waitFor('the level in the shop', () => shopStock(skus[1]!) === 2);
    const whole = await stack.client.workflow.execute<typeof stockAggregation>('stockAggregation', {
      workflowId: `${stockAggregationRunId(shop.connectionId, Date.now())}-whole`, taskQueue: stack.config.temporal.taskQueue,
      args: [{ connectionId: shop.connectionId, mode: 'full', rangeSize: 3 }],
    });
    assert.ok(result.ranges! < whole.ranges! - 40, `the second worker went on from the cursor (${result.ranges} of ${whole.ranges} ranges)`);
    await stack.db('products').where('sku', 'like', `${tag}-%`).delete();
  });

  it('a Schedule per connection, overlap SKIP, brought to its settings and removed with the connection', async () => {
    const id = stockAggregationScheduleId(shop.connectionId);
    const tq = stack.config.temporal.taskQueue;
    assert.equal(await ensureStockAggregationSchedule(stack.client, tq, shop.connectionId, { aggregation_interval_seconds: 3600 }), 'created');
    const every = async () => {
      const d = await stack.client.schedule.getHandle(id).describe();
      return { overlap: d.policies.overlap, every: Number((d.spec.intervals ?? [])[0]!.every), jitter: Number(d.spec.jitter ?? 0) };
    };
    const before = await every();
    assert.equal(String(before.overlap), 'SKIP');
    assert.equal(before.every, 3600_000);
    assert.ok(before.jitter > 0);
    assert.equal(await ensureStockAggregationSchedule(stack.client, tq, shop.connectionId, { aggregation_interval_seconds: 7200 }), 'updated');
    assert.equal((await every()).every, 7200_000);
    await removeConnectionSchedules(stack.client, shop.connectionId);
    await assert.rejects(stack.client.schedule.getHandle(id).describe());
  });
});
