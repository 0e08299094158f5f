import type { Knex } from 'knex';
import { queueForConnection } from '../pos/batch-push-queue';
import { queueEcomWrites } from '../ecom/write-queue';

export interface AggregatedConnection {
  id: string;
  kind: 'woocommerce' | 'ecom';
  active: boolean;
}

/**
 * Queues the differing products for the connection's writer (WooCommerce: its batched push; eCom:
 * its writer, stock only), in the caller's transaction. A product still queued there is left as
 * it is: its push reads the stock when it runs, so queuing it again would count it twice.
 * Returns how many products were queued.
 */
export async function queueAggregatedDifferences(trx: Knex.Transaction, c: AggregatedConnection, productIds: number[]): Promise<number> {
  if (!c.active || productIds.length === 0) return 0;
  const table = c.kind === 'ecom' ? 'ecom_write_queue' : 'batch_push_queue';
  const fresh: number[] = (
    await trx.raw(
      `SELECT x AS product_id FROM unnest(?::int[]) AS x
        WHERE NOT EXISTS (SELECT 1 FROM ${table} q WHERE q.connection_id = ? AND q.product_id = x)
        ORDER BY x`,
      [productIds, c.id],
    )
  ).rows.map((r: { product_id: number }) => r.product_id);
  if (fresh.length === 0) return 0;
  return c.kind === 'ecom'
    ? queueEcomWrites(trx, c.id, fresh, { stockOnly: true, reason: 'aggregation' })
    : queueForConnection(trx, c.id, fresh, 'aggregation');
}
