import type { Knex } from 'knex';
import type { ProductSnapshot, VariantSnapshot } from '../../domain/product';

type Reader = Knex | Knex.Transaction;

/**
 * Reads products as they are now, with stock summed over `outletIds` (the outlets a
 * connection sells from). Three queries whatever the number of products.
 */
export async function loadProductSnapshots(db: Reader, productIds: number[], outletIds: number[]): Promise<Map<number, ProductSnapshot>> {
  const out = new Map<number, ProductSnapshot>();
  if (productIds.length === 0) return out;
  const [products, variants, stock] = await Promise.all([
    db('products').whereIn('id', productIds),
    db('variants').whereIn('product_id', productIds).orderBy(['product_id', 'position', 'id']),
    db('inventory')
      .select('product_id', 'variant_id')
      .sum({ quantity: 'quantity' })
      .whereIn('product_id', productIds)
      .whereIn('outlet_id', outletIds.length > 0 ? outletIds : [-1])
      .groupBy('product_id', 'variant_id'),
  ]);
  const stockOf = new Map<string, number>();
  for (const s of stock as { product_id: number; variant_id: number | null; quantity: number }[]) stockOf.set(`${s.product_id}:${s.variant_id ?? 0}`, Number(s.quantity));
  const variantsOf = new Map<number, VariantSnapshot[]>();
  for (const v of variants) {
    const list = variantsOf.get(v.product_id) ?? [];
    list.push({
      id: v.id, sku: v.sku, upc: v.upc, retailPrice: Number(v.retail_price), attributes: v.attributes, image: v.image,
      weight: v.weight, dimensions: v.dimensions, active: v.active, position: v.position,
      stock: stockOf.get(`${v.product_id}:${v.id}`) ?? 0,
    });
    variantsOf.set(v.product_id, list);
  }
  for (const p of products) {
    const vs = variantsOf.get(p.id) ?? [];
    out.set(p.id, {
      id: p.id, sku: p.sku, type: p.type, name: p.name, description: p.description, brand: p.brand, upc: p.upc,
      retailPrice: p.retail_price, active: p.active, channels: p.channels, attributes: p.attributes, images: p.images,
      weight: p.weight, dimensions: p.dimensions, version: Number(p.version),
      stock: p.type === 'variable' ? vs.reduce((s, v) => s + v.stock, 0) : stockOf.get(`${p.id}:0`) ?? 0,
      ...(p.archived ? { archived: true } : {}),
      variants: vs,
    });
  }
  return out;
}

export async function loadProductSnapshot(db: Reader, productId: number, outletIds: number[]): Promise<ProductSnapshot | undefined> {
  return (await loadProductSnapshots(db, [productId], outletIds)).get(productId);
}
