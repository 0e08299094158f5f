import type { Knex } from 'knex';
import { outletsOfConnection, smartbillStockOwners } from '../pos/connection-outlets';

/** Which products a comparison covers: those with movements in an id window, or linked products in an id range. */
export type AggregationScope =
  | { kind: 'moved'; afterMovementId: string; upToMovementId: string }
  | { kind: 'range'; afterProductId: number; upToProductId: number };

export interface Comparison {
  /** Linked items whose stock the POS writes, compared. */
  compared: number;
  /** Items whose level summed over the connection's outlets differs from the level last written (or never written). */
  differed: number;
  /** The products of those items. */
  products: number[];
}

/**
 * One set-based comparison (issue 11): for every linked item in scope whose stock the POS writes
 * to this shop (a simple product's link row, each variation's; not a variable parent, not an item
 * a SmartBill connection owns, M-D8), its stock summed over the connection's outlets against
 * product_links.pushed_stock. Three statements whatever the size of the scope.
 */
export async function compareLinkedStock(trx: Knex.Transaction, connectionId: string, scope: AggregationScope): Promise<Comparison> {
  const outlets = await outletsOfConnection(trx, connectionId);
  const owners = await smartbillStockOwners(trx, connectionId);
  const [scopeSql, scopeBindings] = scope.kind === 'moved'
    ? ['SELECT DISTINCT product_id FROM stock_movements WHERE id > ? AND id <= ?', [scope.afterMovementId, scope.upToMovementId]]
    : ['SELECT DISTINCT product_id FROM product_links WHERE connection_id = ? AND product_id > ? AND product_id <= ?', [connectionId, scope.afterProductId, scope.upToProductId]];
  // A range is read by the inventory index (outlet_id, product_id, …) directly; a set of moved products is joined.
  const [levelsFilter, levelsBindings] = scope.kind === 'range'
    ? ['i.product_id > ? AND i.product_id <= ?', [scope.afterProductId, scope.upToProductId]]
    : ['i.product_id IN (SELECT product_id FROM scope)', []];
  const ownedFilter = owners.length === 0 ? '' : `AND NOT EXISTS (
         SELECT 1 FROM smartbill_levels sl
          WHERE sl.connection_id = ANY(?::text[]) AND l.remote_id = coalesce(sl.shop_variation_id, sl.shop_product_id))`;
  const row: { compared: number; differed: number; products: number[] } = (
    await trx.raw(
      `WITH scope AS (${scopeSql}),
       items AS (
         SELECT l.product_id, coalesce(l.variant_id, 0) AS vid, l.pushed_stock
           FROM product_links l
           JOIN scope s ON s.product_id = l.product_id
           JOIN products p ON p.id = l.product_id
          WHERE l.connection_id = ? AND (l.variant_id IS NOT NULL OR p.type = 'simple') ${ownedFilter}
       ),
       levels AS (
         SELECT i.product_id, coalesce(i.variant_id, 0) AS vid, sum(i.quantity)::int AS quantity
           FROM inventory i
          WHERE i.outlet_id = ANY(?::int[]) AND ${levelsFilter}
          GROUP BY 1, 2
       ),
       compared AS (
         SELECT it.product_id, it.pushed_stock IS DISTINCT FROM coalesce(lv.quantity, 0) AS differs
           FROM items it LEFT JOIN levels lv ON lv.product_id = it.product_id AND lv.vid = it.vid
       )
       SELECT count(*)::int AS compared, count(*) FILTER (WHERE differs)::int AS differed,
              coalesce(array_agg(DISTINCT product_id ORDER BY product_id) FILTER (WHERE differs), '{}') AS products
         FROM compared`,
      [...scopeBindings, connectionId, ...(owners.length === 0 ? [] : [owners]), outlets.length > 0 ? outlets : [-1], ...levelsBindings],
    )
  ).rows[0];
  return { compared: row.compared, differed: row.differed, products: row.products.map(Number) };
}
