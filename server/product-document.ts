import type { Knex } from 'knex';
import { loadProductSnapshot } from '../activities/pos/snapshot';

/**
 * GET /api/products/:id: the product as POST /api/products takes it (snake_case, the same field
 * names), plus the fields the POS sets itself (id, version, stock, created_at, updated_at,
 * inventory, links), which a POST of the document back accepts and ignores. Stock is summed over
 * every outlet; `inventory` has it per outlet.
 */
export async function productDocument(db: Knex, id: number): Promise<Record<string, unknown> | undefined> {
  const row = await db('products').where({ id }).first('created_at', 'updated_at');
  if (!row) return undefined;
  const outletIds: number[] = (await db('outlets').select('id')).map((o) => o.id);
  const p = await loadProductSnapshot(db, id, outletIds);
  if (!p) return undefined;
  const [inventory, links] = await Promise.all([
    db('inventory').where({ product_id: id }).select('outlet_id', 'variant_id', 'quantity').orderBy(['outlet_id', 'variant_id']),
    db('product_links as l').leftJoin('connections as c', 'c.id', 'l.connection_id').where({ 'l.product_id': id })
      .select('l.connection_id', 'c.kind as connection_kind', 'l.variant_id', 'l.remote_id', 'l.remote_parent_id', 'l.pushed_version', 'l.pushed_at', 'l.pushed_stock', 'l.shop_state'),
  ]);
  return {
    id: p.id, sku: p.sku, type: p.type, name: p.name, description: p.description, brand: p.brand, upc: p.upc,
    retail_price: p.retailPrice, active: p.active, channels: p.channels, attributes: p.attributes, images: p.images,
    weight: p.weight, dimensions: p.dimensions,
    variants: p.variants.map((v) => ({
      id: v.id, sku: v.sku, upc: v.upc, retail_price: v.retailPrice, attributes: v.attributes, image: v.image,
      weight: v.weight, dimensions: v.dimensions, active: v.active, position: v.position, stock: v.stock,
    })),
    version: p.version, stock: p.stock, created_at: row.created_at, updated_at: row.updated_at, inventory, links,
  };
}
