import type { Knex } from 'knex';

/**
 * Serializes everything that applies one shop order (issue 7.1): a transaction-scoped advisory
 * lock per (connection, order), taken in key order so that pages of orders never deadlock. Unlike
 * a row lock it also covers an order that has no remote_orders row yet, so two first deliveries
 * of a new order cannot both see "nothing applied" and both deduct.
 */
export async function lockRemoteOrders(trx: Knex.Transaction, connectionId: string, orderIds: number[]): Promise<void> {
  if (orderIds.length === 0) return;
  const keys = [...new Set(orderIds)].map((id) => `remote_order:${connectionId}:${id}`);
  await trx.raw(
    `SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT hashtextextended(key, 0) AS k FROM unnest(?::text[]) key ORDER BY 1) s`,
    [keys],
  );
}
