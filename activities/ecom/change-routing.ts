import type { Knex } from 'knex';
import type { ChangeReason } from '../pos/change-feed';
import { queueEcomWrites } from './write-queue';

/**
 * The change reasons that are stock movements only (a subset of BATCHED_REASONS): an eCom writer
 * sends these as stock-only writes. Everything else (a save, an import, a restore, a retry or
 * reconciliation, whose cause is unknown) is a catalog write, which includes the stock.
 */
export const ECOM_STOCK_REASONS: ReadonlySet<string> = new Set<ChangeReason>([
  'sale', 'refund', 'exchange', 'stock_count', 'stock_order', 'stock_transfer', 'stock_adjustment', 'order_sync', 'order_import',
]);

/**
 * In the push dispatcher's outbox transaction: queues every changed product for each active eCom
 * connection that should hold it (sold online, or linked to it, so a product switched to in-store
 * only is hidden there). Returns the connections that got rows.
 */
export async function queueEcomChanges(trx: Knex.Transaction, productIds: number[], reasons: Map<number, string>): Promise<string[]> {
  if (productIds.length === 0) return [];
  const targets: { product_id: number; connection_id: string }[] = (
    await trx.raw(
      `SELECT p.id AS product_id, c.id AS connection_id
         FROM products p
        CROSS JOIN connections c
        WHERE p.id = ANY(?) AND c.active AND c.kind = 'ecom'
          AND ('online' = ANY(p.channels)
               OR EXISTS (SELECT 1 FROM product_links l WHERE l.product_id = p.id AND l.connection_id = c.id AND l.variant_id IS NULL))`,
      [productIds],
    )
  ).rows;
  const groups = new Map<string, { connectionId: string; reason: string; ids: number[] }>();
  for (const t of targets) {
    const reason = reasons.get(t.product_id) ?? 'change';
    const key = `${t.connection_id}\u0000${reason}`;
    const group = groups.get(key) ?? { connectionId: t.connection_id, reason, ids: [] };
    group.ids.push(t.product_id);
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    await queueEcomWrites(trx, g.connectionId, g.ids, { stockOnly: ECOM_STOCK_REASONS.has(g.reason), reason: g.reason });
  }
  return [...new Set(targets.map((t) => t.connection_id))];
}
