import type { Stack } from '../stack/start';
import { runFullPass, runIncrementalAggregation } from '../activities/aggregation/runs';
import { report } from './harness';

/**
 * Issue 11: the stock aggregation over 50,000 products x 10 outlets. An incremental run with 500
 * products changed since the last run (target: <= 2 s of database time, exactly 500 queued), then
 * full passes: with those 500 still differing, and once nothing differs (0 queued). Runs go in a
 * transaction rolled back afterwards: the queue rows are counted, no push is started. The times
 * are the runs' wall time, which is all SQL against the local PostgreSQL.
 */
export async function aggregationBench(stack: Stack, s: { products: number; outlets: number; changed: number }): Promise<void> {
  const { db } = stack;
  const connectionId = 'bench-aggregation';
  const prefix = `AGGB-${Date.now()}`;
  const seedStart = Date.now();
  await db.transaction(async (trx) => {
    const outlets: { id: number }[] = await trx('outlets').insert(
      Array.from({ length: s.outlets }, (_, i) => ({ name: `${prefix} outlet ${i + 1}` })), ['id'],
    );
    const reg = await trx('registers').insert({ outlet_id: outlets[0]!.id, name: `${prefix} till` }, ['id']);
    await trx('connections').insert({ id: connectionId, kind: 'woocommerce', name: 'aggregation bench', base_url: 'http://127.0.0.1:9', register_id: reg[0].id });
    await trx('connection_outlets').insert(outlets.map((o) => ({ connection_id: connectionId, outlet_id: o.id })));
    await trx.raw(`INSERT INTO products (sku, type, name, channels) SELECT ? || '-' || g, 'simple', 'Bench ' || g, '{in_store}' FROM generate_series(1, ?) g`, [prefix, s.products]);
    await trx.raw(
      `INSERT INTO inventory (outlet_id, product_id, quantity)
       SELECT o, p.id, (p.id * 7 + o) % 50 FROM products p CROSS JOIN unnest(?::int[]) AS o WHERE p.sku LIKE ? || '-%'`,
      [outlets.map((o) => o.id), prefix],
    );
    await trx.raw(
      `INSERT INTO product_links (connection_id, product_id, remote_id, pushed_version, pushed_stock)
       SELECT ?, i.product_id, i.product_id, 1, sum(i.quantity) FROM inventory i JOIN products p ON p.id = i.product_id
        WHERE p.sku LIKE ? || '-%' GROUP BY i.product_id`,
      [connectionId, prefix],
    );
    // The last run read every movement so far.
    await trx.raw(
      `INSERT INTO stock_aggregation_state (connection_id, watermark, previous_watermark, last_full_at)
       SELECT ?, m, m, now() FROM (SELECT coalesce(max(id), 0) AS m FROM stock_movements) x`, [connectionId],
    );
    // `s.changed` products (every n-th of the catalog) counted up at one outlet since: their level differs from what the shop was given.
    await trx.raw(
      `WITH picked AS (
         SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM products WHERE sku LIKE ? || '-%') x WHERE n % ? = 0
       ), moved AS (
         UPDATE inventory i SET quantity = i.quantity + 1 FROM picked, connections c JOIN registers r ON r.id = c.register_id
          WHERE c.id = ? AND i.product_id = picked.id AND i.outlet_id = r.outlet_id
         RETURNING i.outlet_id, i.product_id, i.quantity
       )
       INSERT INTO stock_movements (kind, outlet_id, product_id, delta, quantity_after) SELECT 'adjustment', outlet_id, product_id, 1, quantity FROM moved`,
      [prefix, Math.floor(s.products / s.changed), connectionId],
    );
  });
  await db.raw('ANALYZE products; ANALYZE inventory; ANALYZE product_links; ANALYZE stock_movements');
  const seedMs = Date.now() - seedStart;

  const measured = async <T>(fn: (trx: any) => Promise<T>): Promise<{ ms: number; result: T; queued: number }> => {
    const trx = await db.transaction();
    try {
      const started = process.hrtime.bigint();
      const result = await fn(trx);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const queued = Number((await trx('batch_push_queue').where({ connection_id: connectionId }).count('* as n').first())!.n);
      return { ms: +ms.toFixed(1), result, queued };
    } finally {
      await trx.rollback();
    }
  };
  try {
    const inc = await measured((trx) => runIncrementalAggregation(trx, connectionId));
    const planned = new Date().toISOString();
    const full = await measured((trx) => runFullPass(trx, connectionId, planned));
    // Now the shop was given what the POS holds: a full pass queues nothing.
    await db.raw(
      `UPDATE product_links l SET pushed_stock = x.q FROM (SELECT product_id, sum(quantity)::int AS q FROM inventory GROUP BY product_id) x
        WHERE l.connection_id = ? AND x.product_id = l.product_id AND l.pushed_stock <> x.q`, [connectionId],
    );
    const clean = await measured((trx) => runFullPass(trx, connectionId, new Date().toISOString()));
    report('stock aggregation', {
      products: s.products, outlets: s.outlets, changed: s.changed, seed_ms: seedMs,
      incremental: { db_ms: inc.ms, compared: inc.result.compared, differed: inc.result.differed, queued: inc.queued },
      full_pass_with_changes: { db_ms: full.ms, ranges: full.result.ranges, compared: full.result.compared, differed: full.result.differed, queued: full.queued },
      full_pass_nothing_differs: { db_ms: clean.ms, compared: clean.result.compared, queued: clean.queued },
      targets: { incremental_db_ms: 2000, incremental_queued: s.changed, full_pass_nothing_differs_queued: 0 },
    });
  } finally {
    await db('connections').where({ id: connectionId }).update({ active: false });
  }
}
