import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import type { ChangeReason } from './change-feed';

/**
 * Stock movements touch many products at a high rate. For a product already linked to a
 * connection, the push is a plain update, so these go to the connection's batched push
 * (100 products per request) instead of one push workflow cycle per product.
 */
export const BATCHED_REASONS: ReadonlySet<string> = new Set<ChangeReason>([
  'sale', 'refund', 'exchange', 'stock_count', 'stock_order', 'stock_transfer', 'stock_adjustment', 'order_sync', 'order_import', 'restore',
  // A push again of whatever is pending: linked products go batched, the others to their saga.
  'reconcile', 'retry',
]);

export interface QueueResult {
  /** Connections that got rows and need a signal. */
  connections: string[];
  /** Products that must (also) be created somewhere: the per-product saga does that. */
  needSaga: number[];
}

/**
 * In the caller's transaction: queues each product for every active WooCommerce connection it
 * is linked to, and names the products that some target connection does not have yet.
 */
export async function queueBatchPushes(trx: Knex.Transaction, productIds: number[], reason: string): Promise<QueueResult> {
  if (productIds.length === 0) return { connections: [], needSaga: [] };
  const targets: { product_id: number; connection_id: string; linked: boolean }[] = (
    await trx.raw(
      `SELECT p.id AS product_id, c.id AS connection_id, (l.product_id IS NOT NULL) AS linked
         FROM products p
        CROSS JOIN connections c
         LEFT JOIN product_links l ON l.product_id = p.id AND l.connection_id = c.id AND l.variant_id IS NULL
        WHERE p.id = ANY(?) AND c.active AND c.kind = 'woocommerce'
          AND (('online' = ANY(p.channels) AND NOT p.archived) OR l.product_id IS NOT NULL)`,
      [productIds],
    )
  ).rows;
  const linked = targets.filter((t) => t.linked);
  const needSaga = [...new Set(targets.filter((t) => !t.linked).map((t) => t.product_id))];
  const targeted = new Set(targets.map((t) => t.product_id));
  needSaga.push(...(await settleUntargeted(trx, productIds.filter((id) => !targeted.has(id)))));
  if (linked.length === 0) return { connections: [], needSaga };
  const rows = await insertQueueRows(trx, linked.map((t) => ({ connection_id: t.connection_id, product_id: t.product_id })), reason);
  return { connections: [...new Set(rows.map((r) => r.connection_id))], needSaga };
}

async function insertQueueRows(trx: Knex.Transaction, rows: { connection_id: string; product_id: number }[], reason: string): Promise<{ connection_id: string }[]> {
  return (
    await trx.raw(
      `INSERT INTO batch_push_queue (connection_id, product_id, seq, reason)
       SELECT x.connection_id, x.product_id, nextval('batch_push_seq'), ?
         FROM jsonb_to_recordset(?::jsonb) AS x(connection_id text, product_id int)
       ON CONFLICT (connection_id, product_id)
       DO UPDATE SET seq = EXCLUDED.seq, reason = EXCLUDED.reason, queued_at = now()
       RETURNING connection_id`,
      [reason, JSON.stringify(rows)],
    )
  ).rows;
}

/**
 * In the caller's transaction: queues linked products for one connection's batched push, outside
 * the push outbox (a changed outlet set, a drift repair), and leaves a wake-up row so the push
 * dispatcher signals that connection once the transaction commits. Returns how many were queued.
 */
export async function queueForConnection(trx: Knex.Transaction, connectionId: string, productIds: number[], reason: string): Promise<number> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return 0;
  const rows = await insertQueueRows(trx, ids.map((product_id) => ({ connection_id: connectionId, product_id })), reason);
  await trx.raw('INSERT INTO batch_push_wakeups (connection_id) VALUES (?) ON CONFLICT DO NOTHING', [connectionId]);
  return rows.length;
}

/** The connections woken by queueForConnection since the last call (rows deleted as they are read). */
export async function takeBatchPushWakeups(db: Db | Knex.Transaction): Promise<string[]> {
  const rows: { connection_id: string }[] = (await db.raw('DELETE FROM batch_push_wakeups RETURNING connection_id')).rows;
  return rows.map((r) => r.connection_id);
}

/**
 * Issue 7 point 2: a movement of a product no connection takes (in store only, not linked)
 * pushes nothing, so nothing would clear its pending mark, and a later change (switching it
 * online) would find the mark set and queue nothing. The mark is cleared here, re-checked under
 * the row lock; a product that became pushable meanwhile (a concurrent save) is returned, for
 * its push saga. Rows are locked in id order, as every writer of products does.
 */
async function settleUntargeted(trx: Knex.Transaction, productIds: number[]): Promise<number[]> {
  if (productIds.length === 0) return [];
  const rows: { id: number }[] = (
    await trx.raw(
      `WITH locked AS (
         SELECT id FROM products WHERE id = ANY(?) AND push_pending ORDER BY id FOR NO KEY UPDATE
       ), cleared AS (
         UPDATE products p SET push_pending = false, push_pending_changed = false
           FROM locked
          WHERE p.id = locked.id
            AND (NOT ('online' = ANY(p.channels)) OR p.archived)
            AND NOT EXISTS (SELECT 1 FROM product_links l JOIN connections c ON c.id = l.connection_id
                             WHERE l.product_id = p.id AND c.active AND c.kind = 'woocommerce')
          RETURNING p.id
       )
       SELECT id FROM locked WHERE id NOT IN (SELECT id FROM cleared)`,
      [productIds],
    )
  ).rows;
  return rows.map((r) => r.id);
}

export interface QueuedProduct {
  productId: number;
  seq: string;
  reason: string;
  /** How long ago the row was (re)queued, by the database's clock. */
  ageMs?: number;
}

/** The next products queued for a connection, oldest change first, up to `upToSeq`. */
export async function readQueue(db: Db, connectionId: string, upToSeq: string, limit: number): Promise<QueuedProduct[]> {
  const rows = await db('batch_push_queue')
    .where({ connection_id: connectionId })
    .andWhere('seq', '<=', upToSeq)
    .orderBy('seq')
    .limit(limit)
    .select('product_id', 'seq', 'reason', db.raw('(extract(epoch FROM now() - queued_at) * 1000)::float AS age_ms'));
  return rows.map((r) => ({ productId: r.product_id, seq: String(r.seq), reason: r.reason, ageMs: r.age_ms }));
}

export async function lastQueuedSeq(db: Db, connectionId: string): Promise<string> {
  const row = await db('batch_push_queue').where({ connection_id: connectionId }).max('seq as seq').first();
  return row?.seq === null || row?.seq === undefined ? '0' : String(row.seq);
}

/** Removes what was pushed; a row whose seq moved on has a newer change and stays. */
export async function dequeue(db: Db | Knex.Transaction, connectionId: string, done: QueuedProduct[]): Promise<void> {
  await deleteHandledRows(db, 'batch_push_queue', connectionId, done);
}

/**
 * Deletes the rows of a per-connection queue (batch_push_queue, ecom_write_queue) that were handled at
 * the seq they were read with; a row whose seq moved on holds a newer change and stays.
 */
export async function deleteHandledRows(
  db: Db | Knex.Transaction, table: 'batch_push_queue' | 'ecom_write_queue', connectionId: string, done: { productId: number; seq: string }[],
): Promise<void> {
  if (done.length === 0) return;
  await db.raw(
    `DELETE FROM ?? q
      USING jsonb_to_recordset(?::jsonb) AS x(product_id int, seq bigint)
      WHERE q.connection_id = ? AND q.product_id = x.product_id AND q.seq = x.seq`,
    [table, JSON.stringify(done.map((d) => ({ product_id: d.productId, seq: d.seq }))), connectionId],
  );
}

/** Hands products back to the per-product saga (a link found gone): the dispatcher signals it. */
export async function requeueForSaga(db: Db | Knex.Transaction, productIds: number[]): Promise<void> {
  if (productIds.length === 0) return;
  await db('push_outbox').insert(productIds.map((id) => ({ product_id: id, reason: 'relink' })));
}
