import type { Db } from '../../db/connection';

export interface ReconcileResult {
  /** Products whose pending mark was older than the threshold with nothing queued to push them. */
  stranded: number;
  productIds: number[];
}

/**
 * Issue 7 point 2: a product whose push is pending but that nothing will push (its outbox row
 * was consumed by a route that took it nowhere, or a push run died before its claim) is handed
 * back to its push saga. The run is recorded, for `possync status` and the failures view.
 */
export async function requeueStrandedPushes(db: Db, olderThanMs: number, limit = 10_000): Promise<ReconcileResult> {
  const row: { stranded: number; product_ids: number[] } = (
    await db.raw(
      `WITH stranded AS (
         SELECT p.id FROM products p
          WHERE p.push_pending AND p.push_pending_since < now() - (? * interval '1 millisecond')
            AND NOT EXISTS (SELECT 1 FROM push_outbox o WHERE o.product_id = p.id)
          ORDER BY p.id LIMIT ?
       ), queued AS (
         INSERT INTO push_outbox (product_id, reason) SELECT id, 'reconcile' FROM stranded RETURNING product_id
       )
       INSERT INTO push_reconciliations (stranded, product_ids)
       SELECT count(*), coalesce(array_agg(product_id ORDER BY product_id), '{}') FROM queued
       RETURNING stranded, product_ids`,
      [olderThanMs, limit],
    )
  ).rows[0];
  // Keep a day of runs: enough to see a trend, small enough to never matter.
  await db('push_reconciliations').where('ran_at', '<', db.raw("now() - interval '1 day'")).delete();
  return { stranded: row.stranded, productIds: row.product_ids };
}

export async function lastReconciliation(db: Db): Promise<{ ran_at: Date; stranded: number; found_last_day: number } | undefined> {
  const last = await db('push_reconciliations').orderBy('id', 'desc').first('ran_at', 'stranded');
  if (!last) return undefined;
  const day = await db('push_reconciliations').sum({ n: 'stranded' }).first();
  return { ran_at: last.ran_at, stranded: last.stranded, found_last_day: Number(day?.n ?? 0) };
}
