import type { Knex } from 'knex';
import type { WrittenStock } from '../../domain/woo-mapping';

type Reader = Knex | Knex.Transaction;

export interface ProductLink {
  connectionId: string;
  productId: number;
  variantId: number | null;
  remoteId: number;
  remoteParentId: number | null;
}

const toLink = (r: any): ProductLink => ({
  connectionId: r.connection_id, productId: r.product_id, variantId: r.variant_id, remoteId: Number(r.remote_id),
  remoteParentId: r.remote_parent_id === null ? null : Number(r.remote_parent_id),
});

export async function linksOf(db: Reader, connectionId: string, productIds: number[]): Promise<ProductLink[]> {
  if (productIds.length === 0) return [];
  const rows = await db('product_links').where({ connection_id: connectionId }).whereIn('product_id', productIds);
  return rows.map(toLink);
}

export async function allLinksOfProduct(db: Reader, productId: number): Promise<ProductLink[]> {
  return (await db('product_links').where({ product_id: productId })).map(toLink);
}

/**
 * Upserts links; a remote id that moved to another POS item (relinking) is taken over. The POS
 * product whose link named it loses its links on that connection and goes back to its push saga,
 * which relinks it by SKU or creates it again: its shop product is gone and its id was given out
 * again (a shop that lost products, issue 8 point 1), or it was relinked on purpose.
 */
export async function saveLinks(db: Reader, links: ProductLink[], pushedVersion: number | null): Promise<void> {
  if (links.length === 0) return;
  const rows = links.map((l) => ({
    connection_id: l.connectionId, product_id: l.productId, variant_id: l.variantId, remote_id: l.remoteId,
    remote_parent_id: l.remoteParentId, pushed_version: pushedVersion, pushed_at: new Date(),
  }));
  const stale: { connection_id: string; product_id: number }[] = (await db.raw(
    `SELECT DISTINCT l.connection_id, l.product_id FROM product_links l
       JOIN jsonb_to_recordset(?::jsonb) AS x(connection_id text, product_id int, variant_id int, remote_id bigint)
         ON l.connection_id = x.connection_id AND l.remote_id = x.remote_id
      WHERE l.product_id <> x.product_id`,
    [JSON.stringify(rows)],
  )).rows;
  for (const s of stale) await deleteLinks(db, s.connection_id, s.product_id);
  if (stale.length > 0) await db('push_outbox').insert([...new Set(stale.map((s) => s.product_id))].map((id) => ({ product_id: id, reason: 'relink' })));
  await db.raw(
    `INSERT INTO product_links (connection_id, product_id, variant_id, remote_id, remote_parent_id, pushed_version, pushed_at)
     SELECT x.connection_id, x.product_id, x.variant_id, x.remote_id, x.remote_parent_id, x.pushed_version, x.pushed_at
       FROM jsonb_to_recordset(?::jsonb) AS x(connection_id text, product_id int, variant_id int, remote_id bigint,
            remote_parent_id bigint, pushed_version bigint, pushed_at timestamptz)
     ON CONFLICT (connection_id, product_id, (coalesce(variant_id, 0)))
     DO UPDATE SET remote_id = EXCLUDED.remote_id, remote_parent_id = EXCLUDED.remote_parent_id,
                   pushed_version = EXCLUDED.pushed_version, pushed_at = EXCLUDED.pushed_at,
                   -- Another shop item: what was written to the old one says nothing about it.
                   pushed_stock = CASE WHEN product_links.remote_id = EXCLUDED.remote_id THEN product_links.pushed_stock END`,
    [JSON.stringify(rows)],
  );
}

/** `stock`: the levels this push wrote (domain/woo-mapping.ts writtenStock), kept as pushed_stock. */
export async function markPushed(db: Reader, connectionId: string, productId: number, version: number, stock: WrittenStock[]): Promise<void> {
  await markPushedMany(db, connectionId, [{ productId, version, stock }]);
}

/**
 * Marks products pushed at a version and records, per link row, the stock level each push wrote
 * (pushed_stock, what the stock aggregation compares with). An item whose stock was not written
 * (a variable parent, a SmartBill-owned item) keeps its value; the aggregation never compares it.
 */
export async function markPushedMany(db: Reader, connectionId: string, pushed: { productId: number; version: number; stock: WrittenStock[] }[]): Promise<void> {
  if (pushed.length === 0) return;
  await db.raw(
    `UPDATE product_links l SET pushed_version = x.version, pushed_at = now()
       FROM jsonb_to_recordset(?::jsonb) AS x(product_id int, version bigint)
      WHERE l.connection_id = ? AND l.product_id = x.product_id`,
    [JSON.stringify(pushed.map((p) => ({ product_id: p.productId, version: p.version }))), connectionId],
  );
  await recordPushedStock(db, connectionId, pushed.flatMap((p) => p.stock));
}

/** Sets pushed_stock of the link rows of these items to the level written to them. */
export async function recordPushedStock(db: Reader, connectionId: string, written: WrittenStock[]): Promise<void> {
  if (written.length === 0) return;
  await db.raw(
    `UPDATE product_links l SET pushed_stock = x.stock
       FROM jsonb_to_recordset(?::jsonb) AS x(product_id int, variant_id int, stock int)
      WHERE l.connection_id = ? AND l.product_id = x.product_id AND coalesce(l.variant_id, 0) = coalesce(x.variant_id, 0)`,
    [JSON.stringify(written.map((w) => ({ product_id: w.productId, variant_id: w.variantId, stock: w.stock }))), connectionId],
  );
}

export async function deleteLinks(db: Reader, connectionId: string, productId: number): Promise<void> {
  await db('product_links').where({ connection_id: connectionId, product_id: productId }).delete();
}
