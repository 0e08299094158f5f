import type { Knex } from 'knex';
import type { ProductSnapshot } from '../../domain/product';
import { queueForConnection } from './batch-push-queue';
import { loadProductSnapshots } from './snapshot';

type Reader = Knex | Knex.Transaction;

/**
 * The outlets whose stock is summed for a connection (M-C6): its `connection_outlets` rows, or
 * the outlet of its register when it has none. Every push path reads stock through here.
 */
export async function outletsOfConnection(db: Reader, connectionId: string): Promise<number[]> {
  const rows: { outlet_id: number }[] = (
    await db.raw(
      `SELECT co.outlet_id FROM connection_outlets co WHERE co.connection_id = ?
        UNION ALL
       SELECT r.outlet_id FROM connections c JOIN registers r ON r.id = c.register_id
        WHERE c.id = ? AND NOT EXISTS (SELECT 1 FROM connection_outlets WHERE connection_id = ?)
        ORDER BY 1`,
      [connectionId, connectionId, connectionId],
    )
  ).rows;
  return rows.map((r) => r.outlet_id);
}

/**
 * Products as a connection would push them: stock summed over the connection's outlets, and marked
 * where a SmartBill connection owns an item's stock in this shop (M-D8), so no push path writes it.
 */
export async function loadConnectionSnapshots(db: Reader, connectionId: string, productIds: number[]): Promise<Map<number, ProductSnapshot>> {
  if (productIds.length === 0) return new Map();
  const snapshots = await loadProductSnapshots(db, productIds, await outletsOfConnection(db, connectionId));
  for (const { product_id: productId, variant_id: variantId } of await smartbillOwnedLinks(db, connectionId, productIds)) {
    const p = snapshots.get(productId);
    if (!p) continue;
    if (variantId === null) p.stockOwner = 'smartbill';
    else {
      const v = p.variants.find((x) => x.id === variantId);
      if (v) v.stockOwner = 'smartbill';
    }
  }
  return snapshots;
}

/**
 * The links of these products whose shop item's stock a SmartBill connection owns (M-D8): it set that
 * item's stock, and its connection says `stock_owner: smartbill` for this shop.
 */
async function smartbillOwnedLinks(db: Reader, shopConnectionId: string, productIds: number[]): Promise<{ product_id: number; variant_id: number | null }[]> {
  // Nearly always none: then this costs one small query per snapshot read.
  const owners = await smartbillStockOwners(db, shopConnectionId);
  if (owners.length === 0) return [];
  return (
    await db.raw(
      `SELECT DISTINCT pl.product_id, pl.variant_id
         FROM product_links pl
         JOIN smartbill_levels l ON l.connection_id = ANY(?::text[]) AND pl.remote_id = coalesce(l.shop_variation_id, l.shop_product_id)
        WHERE pl.connection_id = ? AND pl.product_id = ANY(?::int[])`,
      [owners, shopConnectionId, productIds],
    )
  ).rows;
}

/** The active SmartBill connections that own stock in this shop (`stock_owner: smartbill`, M-D8). */
export async function smartbillStockOwners(db: Reader, shopConnectionId: string): Promise<string[]> {
  return db('connections')
    .where({ kind: 'smartbill', active: true })
    .whereRaw("settings->>'stock_owner' = 'smartbill' AND settings->>'shop_connection' = ?", [shopConnectionId])
    .pluck('id');
}

export async function loadConnectionSnapshot(db: Reader, connectionId: string, productId: number): Promise<ProductSnapshot | undefined> {
  return (await loadConnectionSnapshots(db, connectionId, [productId])).get(productId);
}

export class ConnectionOutletsError extends Error {
  constructor(readonly field: string, message: string, readonly status = 400) {
    super(message);
  }
}

export interface ConnectionOutlets {
  connection_id: string;
  outlet_ids: number[];
  /** True when the connection has no set of its own and uses its register's outlet. */
  default: boolean;
}

export async function readConnectionOutlets(db: Reader, connectionId: string): Promise<ConnectionOutlets> {
  const c = await db('connections').where({ id: connectionId }).first('id');
  if (!c) throw new ConnectionOutletsError('connection_id', `no connection "${connectionId}"`, 404);
  const own = await db('connection_outlets').where({ connection_id: connectionId }).first('outlet_id');
  return { connection_id: connectionId, outlet_ids: await outletsOfConnection(db, connectionId), default: !own };
}

/**
 * Replaces a connection's outlet set, in the caller's transaction. Every linked product whose
 * summed stock (of the product or of one of its variants) differs between the old and the new
 * set is queued for the connection's batched push; the others would push the same values.
 * Returns the set and how many products were queued.
 */
export async function setConnectionOutlets(
  trx: Knex.Transaction, connectionId: string, outletIds: number[],
): Promise<ConnectionOutlets & { queued: number }> {
  const c = await trx('connections').where({ id: connectionId }).forUpdate().first('id', 'kind', 'active');
  if (!c) throw new ConnectionOutletsError('connection_id', `no connection "${connectionId}"`, 404);
  const wanted = [...new Set(outletIds)].sort((a, b) => a - b);
  if (wanted.length === 0) throw new ConnectionOutletsError('outlet_ids', 'must name at least one outlet');
  // Shared locks: an outlet deactivated meanwhile waits for this set, then sees it (connectionsSummingOutlet).
  const found: { id: number; active: boolean }[] = await trx('outlets').whereIn('id', wanted).forShare().select('id', 'active');
  for (const id of wanted) {
    const o = found.find((f) => f.id === id);
    if (!o) throw new ConnectionOutletsError('outlet_ids', `outlet ${id} does not exist`);
    if (!o.active) throw new ConnectionOutletsError('outlet_ids', `outlet ${id} is deactivated`);
  }
  const before = await outletsOfConnection(trx, connectionId);
  await trx('connection_outlets').where({ connection_id: connectionId }).delete();
  await trx('connection_outlets').insert(wanted.map((outlet_id) => ({ connection_id: connectionId, outlet_id })));
  const moved: { product_id: number }[] = (
    await trx.raw(
      `SELECT DISTINCT i.product_id
         FROM inventory i
         JOIN product_links l ON l.product_id = i.product_id AND l.connection_id = ? AND l.variant_id IS NULL
        WHERE i.outlet_id = ANY(?::int[]) OR i.outlet_id = ANY(?::int[])
        GROUP BY i.product_id, coalesce(i.variant_id, 0)
       HAVING coalesce(sum(i.quantity) FILTER (WHERE i.outlet_id = ANY(?::int[])), 0) <> coalesce(sum(i.quantity) FILTER (WHERE i.outlet_id = ANY(?::int[])), 0)`,
      [connectionId, before, wanted, before, wanted],
    )
  ).rows;
  // The batched push is WooCommerce's (an inactive connection pushes nothing); the eCom channel reads the set when it pushes (issue 10).
  const queued = c.kind === 'woocommerce' && c.active ? await queueForConnection(trx, connectionId, moved.map((m) => m.product_id), 'outlets') : 0;
  return { connection_id: connectionId, outlet_ids: wanted, default: false, queued };
}

/** Active connections whose own outlet set holds this outlet (the register's outlet is checked by its caller). */
export async function connectionsSummingOutlet(trx: Knex.Transaction, outletId: number): Promise<string[]> {
  const rows: { id: string }[] = await trx('connection_outlets as co').join('connections as c', 'c.id', 'co.connection_id')
    .where({ 'co.outlet_id': outletId, 'c.active': true }).orderBy('c.id').select('c.id');
  return rows.map((r) => r.id);
}
