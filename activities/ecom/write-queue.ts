import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import { deleteHandledRows } from '../pos/batch-push-queue';

type Writer = Db | Knex.Transaction;

export interface EcomQueued {
  productId: number;
  stockOnly: boolean;
  seq: string;
  reason: string;
}

/**
 * In the caller's transaction: queues products for an eCom connection's writer and leaves a
 * wake-up row, so the push dispatcher signals ecom-writer/<connection> once this commits. A
 * catalog change widens a queued stock-only row; a stock change never narrows a catalog row.
 * Returns how many rows were queued or moved on.
 */
export async function queueEcomWrites(
  trx: Writer, connectionId: string, productIds: number[], opts: { stockOnly: boolean; reason: string },
): Promise<number> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return 0;
  const rows = (
    await trx.raw(
      `INSERT INTO ecom_write_queue (connection_id, product_id, stock_only, seq, reason)
       SELECT ?, x, ?, nextval('ecom_write_seq'), ? FROM unnest(?::int[]) AS x
       ON CONFLICT (connection_id, product_id)
       DO UPDATE SET stock_only = ecom_write_queue.stock_only AND EXCLUDED.stock_only,
                     seq = EXCLUDED.seq, reason = EXCLUDED.reason, queued_at = now()
       RETURNING product_id`,
      [connectionId, opts.stockOnly, opts.reason, ids],
    )
  ).rows;
  await trx.raw('INSERT INTO ecom_writer_wakeups (connection_id) VALUES (?) ON CONFLICT DO NOTHING', [connectionId]);
  return rows.length;
}

/**
 * The next queued products of a connection: stock-only rows first, then by age of the change.
 * With `upToSeq`, only rows queued up to that position (a writer's round leaves later ones for the next).
 */
export async function readEcomQueue(db: Writer, connectionId: string, limit: number, upToSeq?: string): Promise<EcomQueued[]> {
  const q = db('ecom_write_queue').where({ connection_id: connectionId });
  if (upToSeq !== undefined) q.andWhere('seq', '<=', upToSeq);
  const rows = await q
    .orderBy([{ column: 'stock_only', order: 'desc' }, { column: 'seq', order: 'asc' }])
    .limit(limit)
    .select('product_id', 'stock_only', 'seq', 'reason');
  return rows.map((r) => ({ productId: r.product_id, stockOnly: r.stock_only, seq: String(r.seq), reason: r.reason }));
}

/** Removes what was written; a row whose seq moved on holds a newer change and stays. */
export async function dequeueEcom(db: Writer, connectionId: string, done: Pick<EcomQueued, 'productId' | 'seq'>[]): Promise<void> {
  await deleteHandledRows(db, 'ecom_write_queue', connectionId, done);
}

/**
 * Sends rows behind the others (a new seq), so a later round tries them again after what is queued now;
 * a row whose seq moved on meanwhile holds a newer change and is left as it is.
 */
export async function deferEcom(db: Writer, connectionId: string, rows: Pick<EcomQueued, 'productId' | 'seq'>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.raw(
    `UPDATE ecom_write_queue q SET seq = nextval('ecom_write_seq')
       FROM jsonb_to_recordset(?::jsonb) AS x(product_id int, seq bigint)
      WHERE q.connection_id = ? AND q.product_id = x.product_id AND q.seq = x.seq`,
    [JSON.stringify(rows.map((d) => ({ product_id: d.productId, seq: d.seq }))), connectionId],
  );
}

export async function ecomBacklog(db: Writer, connectionId: string): Promise<{ stock: number; catalog: number }> {
  const row = await db('ecom_write_queue').where({ connection_id: connectionId })
    .select(db.raw('count(*) FILTER (WHERE stock_only)::int AS stock'), db.raw('count(*) FILTER (WHERE NOT stock_only)::int AS catalog'))
    .first();
  return { stock: row?.stock ?? 0, catalog: row?.catalog ?? 0 };
}

/** The writers woken by queueEcomWrites since the last call (rows deleted as they are read). */
export async function takeEcomWriterWakeups(db: Writer): Promise<string[]> {
  const rows: { connection_id: string }[] = (await db.raw('DELETE FROM ecom_writer_wakeups RETURNING connection_id')).rows;
  return rows.map((r) => r.connection_id);
}

/** The newest queue position of a connection ('0' when nothing is queued): a writer's round goes up to it. */
export async function lastEcomSeq(db: Writer, connectionId: string): Promise<string> {
  const row = await db('ecom_write_queue').where({ connection_id: connectionId }).max('seq as seq').first();
  return row?.seq === null || row?.seq === undefined ? '0' : String(row.seq);
}
