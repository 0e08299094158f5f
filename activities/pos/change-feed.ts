import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import { queueEcomChanges } from '../ecom/change-routing';

export type ChangeReason =
  | 'product_saved' | 'product_archived' | 'csv_import' | 'sale' | 'refund' | 'exchange' | 'stock_count' | 'stock_order'
  | 'stock_transfer' | 'stock_adjustment' | 'order_import' | 'order_sync' | 'restore' | 'manual'
  // Pushed again by the reconciliation (stranded) or when a blocked connection is unblocked.
  | 'reconcile' | 'retry';

/**
 * Records, inside the caller's transaction, that products changed (M-A2). Bumps each
 * product's version; a product whose push is already pending needs no new signal, the
 * push that is pending will read this change. Returns the ids that need a signal.
 */
export async function markProductsChanged(trx: Knex.Transaction, productIds: number[], reason: ChangeReason): Promise<number[]> {
  const ids = [...new Set(productIds)].sort((a, b) => a - b);
  if (ids.length === 0) return [];
  const rows: { product_id: number }[] = (
    await trx.raw(`WITH changed AS (SELECT unnest(?::int[]) AS product_id), ${markChangedCtes('changed', '?')} SELECT product_id FROM to_signal`, [ids, reason])
  ).rows;
  return rows.map((r) => r.product_id);
}

/**
 * The common table expressions that mark the products listed in the CTE `changedCte`
 * (column product_id) changed, for use inside a larger statement: bump versions, and queue a
 * signal only for products whose push was not pending. They define `to_signal(product_id)`.
 * `reasonParam` is the SQL placeholder (or literal) of the reason.
 */
export function markChangedCtes(changedCte: string, reasonParam: string): string {
  // FOR NO KEY UPDATE, not FOR UPDATE: the caller's movement rows already hold KEY SHARE locks on
  // these products (foreign keys), and two sales of variants of one product would deadlock
  // upgrading them to FOR UPDATE.
  return `old AS MATERIALIZED (SELECT id, push_pending FROM products WHERE id IN (SELECT product_id FROM ${changedCte}) ORDER BY id FOR NO KEY UPDATE),
          upd AS (UPDATE products p SET version = p.version + 1, updated_at = now(), push_pending = true,
                                        push_pending_changed = p.push_pending_changed OR old.push_pending
                    FROM old WHERE p.id = old.id RETURNING p.id, old.push_pending AS was_pending),
          to_signal AS (INSERT INTO push_outbox (product_id, reason) SELECT id, ${reasonParam} FROM upd WHERE NOT was_pending RETURNING product_id)`;
}

/**
 * Called by a push just before it reads the product: later changes will signal again. Returns
 * how long ago the oldest change it now carries was committed (null when none was pending), in
 * the database's clock, so the push can report its lag (possync_push_lag_seconds).
 */
export async function claimPendingPush(db: Db, productId: number): Promise<number | null> {
  return db.transaction(async (trx) => {
    const rows: { age_ms: number | null; unrouted: boolean }[] = (
      await trx.raw(
        `WITH old AS (SELECT id, push_pending_since, push_pending_changed FROM products WHERE id = ? AND push_pending FOR NO KEY UPDATE)
         UPDATE products p SET push_pending = false, push_pending_changed = false FROM old WHERE p.id = old.id
         RETURNING (extract(epoch FROM now() - old.push_pending_since) * 1000)::float AS age_ms, old.push_pending_changed AS unrouted`,
        [productId],
      )
    ).rows;
    if (rows[0]?.unrouted) await queueEcomCarriedChanges(trx, [productId]);
    return rows[0]?.age_ms ?? null;
  });
}

/**
 * Changes committed while a product's push was pending wrote no outbox row (markChangedCtes), so
 * the push dispatcher never routed them to eCom (push_pending_changed, migration 024). The claim
 * carries them: the product is queued (as a catalog write: their reasons are not kept) for each
 * eCom connection that should hold it.
 */
async function queueEcomCarriedChanges(trx: Knex.Transaction, productIds: number[]): Promise<void> {
  await queueEcomChanges(trx, productIds, new Map(productIds.map((id) => [id, 'pending'])));
}

/**
 * The same for many products at once (the batched push); the ages of their oldest changes by product id. The rows are locked in id order, as
 * sales lock them (markChangedCtes): a plain UPDATE locks in scan order and deadlocked with sales
 * of the same products (issue 7.10). Locked first, in a statement of its own, so the UPDATE's
 * snapshot already sees the versions it holds and never waits on an older one.
 */
export async function claimPendingPushes(db: Db, productIds: number[]): Promise<Map<number, number>> {
  const ages = new Map<number, number>();
  if (productIds.length === 0) return ages;
  const ids = [...new Set(productIds)].sort((a, b) => a - b);
  await db.transaction(async (trx) => {
    const rows: { id: number; age_ms: number | null; unrouted: boolean }[] = (await trx.raw(
      `SELECT id, (extract(epoch FROM now() - push_pending_since) * 1000)::float AS age_ms, push_pending_changed AS unrouted
         FROM products WHERE id = ANY(?::int[]) AND push_pending ORDER BY id FOR NO KEY UPDATE`,
      [ids],
    )).rows;
    rows.forEach((r) => r.age_ms !== null && ages.set(r.id, r.age_ms));
    await trx('products').whereIn('id', ids).andWhere({ push_pending: true }).update({ push_pending: false, push_pending_changed: false });
    await queueEcomCarriedChanges(trx, rows.filter((r) => r.unrouted).map((r) => r.id));
  });
  return ages;
}

export interface OutboxBatch {
  productIds: number[];
  reasons: Map<number, string>;
}

/**
 * Drains the outbox in one transaction: `send` runs while the rows are locked (and may write
 * in the same transaction), and they are deleted only if it succeeds, so every change is
 * signalled at least once.
 */
export async function drainOutbox(db: Db, limit: number, send: (batch: OutboxBatch, trx: Knex.Transaction) => Promise<void>): Promise<number> {
  return db.transaction(async (trx) => {
    const rows: { id: number; product_id: number; reason: string }[] = (
      await trx.raw('SELECT id, product_id, reason FROM push_outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED', [limit])
    ).rows;
    if (rows.length === 0) return 0;
    const reasons = new Map<number, string>();
    for (const r of rows) reasons.set(r.product_id, r.reason);
    await send({ productIds: [...reasons.keys()], reasons }, trx);
    await trx('push_outbox').whereIn('id', rows.map((r) => r.id)).delete();
    return rows.length;
  });
}
