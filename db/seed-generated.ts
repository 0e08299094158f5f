import type { Db } from './connection';

/** Inserts a generated catalog straight into PostgreSQL (fast), with stock at one outlet. */
export async function seedCatalog(
  db: Db, opts: { prefix: string; simple: number; variable: number; variations: number; outletId: number },
): Promise<{ productIds: number[] }> {
  const productIds: number[] = [];
  const rows = [
    ...Array.from({ length: opts.simple }, (_, i) => ({
      sku: `${opts.prefix}-S${i}`, type: 'simple', name: `Bench product ${i}`, description: 'Bench', retail_price: 10 + (i % 50),
      channels: ['in_store', 'online'],
    })),
    ...Array.from({ length: opts.variable }, (_, i) => ({
      sku: `${opts.prefix}-V${i}`, type: 'variable', name: `Bench variable ${i}`, description: 'Bench', retail_price: null,
      channels: ['in_store', 'online'],
      attributes: JSON.stringify([{ name: 'Size', options: Array.from({ length: opts.variations }, (_, j) => `Size ${j}`) }]),
    })),
  ];
  for (let i = 0; i < rows.length; i += 1000) {
    const ids = await db('products').insert(rows.slice(i, i + 1000), ['id', 'type']);
    productIds.push(...ids.map((r: { id: number }) => r.id));
  }
  const products: { id: number; sku: string; type: string }[] = await db('products').whereIn('id', productIds).select('id', 'sku', 'type');
  const variants = products.filter((p) => p.type === 'variable').flatMap((p) =>
    Array.from({ length: opts.variations }, (_, j) => ({
      product_id: p.id, sku: `${p.sku}-${j}`, retail_price: 20, position: j, attributes: JSON.stringify([{ name: 'Size', option: `Size ${j}` }]),
    })));
  const variantIds: { id: number; product_id: number }[] = [];
  for (let i = 0; i < variants.length; i += 1000) variantIds.push(...(await db('variants').insert(variants.slice(i, i + 1000), ['id', 'product_id'])));
  const inventory = [
    ...products.filter((p) => p.type === 'simple').map((p) => ({ outlet_id: opts.outletId, product_id: p.id, variant_id: null, quantity: 1000 })),
    ...variantIds.map((v) => ({ outlet_id: opts.outletId, product_id: v.product_id, variant_id: v.id, quantity: 1000 })),
  ];
  for (let i = 0; i < inventory.length; i += 1000) await db('inventory').insert(inventory.slice(i, i + 1000));
  return { productIds };
}
