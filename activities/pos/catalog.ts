import type { Knex } from 'knex';
import type { ProductInput } from '../../domain/product-input';

export class CatalogConflictError extends Error {
  override name = 'CatalogConflictError';
  constructor(public readonly field: string, message: string) {
    super(message);
  }
}

/**
 * Creates or replaces a product (matched by SKU) with its variants, inside the caller's
 * transaction. Variants left out of the document are deactivated, not deleted: sales and
 * links keep pointing at them.
 */
export async function saveProduct(trx: Knex.Transaction, input: ProductInput, fieldPrefix = ''): Promise<{ productId: number; created: boolean }> {
  const existing = await trx('products').where({ sku: input.sku }).forUpdate().first('id', 'type');
  await assertSkusFree(trx, input, existing?.id, fieldPrefix);
  if (existing && existing.type !== input.type) {
    throw new CatalogConflictError(`${fieldPrefix}type`, `product ${input.sku} is ${existing.type}; its type cannot change to ${input.type}`);
  }
  const row = {
    sku: input.sku, type: input.type, name: input.name, description: input.description, brand: input.brand,
    upc: input.upc, retail_price: input.type === 'simple' ? input.retail_price : null, active: input.active,
    channels: input.channels, attributes: JSON.stringify(input.attributes), images: JSON.stringify(input.images),
    weight: input.weight, dimensions: input.dimensions ? JSON.stringify(input.dimensions) : null, updated_at: trx.fn.now(),
  };
  let productId: number;
  if (existing) {
    productId = existing.id;
    await trx('products').where({ id: productId }).update(row);
  } else {
    const [inserted] = await trx('products').insert(row, ['id']);
    productId = inserted.id;
  }
  await saveVariants(trx, productId, input);
  return { productId, created: !existing };
}

async function saveVariants(trx: Knex.Transaction, productId: number, input: ProductInput): Promise<void> {
  const current: { id: number; sku: string }[] = await trx('variants').where({ product_id: productId }).select('id', 'sku');
  const keep = new Set(input.variants.map((v) => v.sku));
  const stale = current.filter((v) => !keep.has(v.sku)).map((v) => v.id);
  if (stale.length > 0) await trx('variants').whereIn('id', stale).update({ active: false, updated_at: trx.fn.now() });
  for (const [position, v] of input.variants.entries()) {
    const row = {
      product_id: productId, sku: v.sku, upc: v.upc, retail_price: v.retail_price,
      attributes: JSON.stringify(v.attributes), image: v.image ? JSON.stringify(v.image) : null, weight: v.weight,
      dimensions: v.dimensions ? JSON.stringify(v.dimensions) : null, position, active: v.active, updated_at: trx.fn.now(),
    };
    await trx('variants').insert(row).onConflict('sku').merge();
  }
}

/** A SKU is unique across products and variants, as WooCommerce requires too. */
async function assertSkusFree(trx: Knex.Transaction, input: ProductInput, productId: number | undefined, prefix: string): Promise<void> {
  const variantSkus = input.variants.map((v) => v.sku);
  const asVariant = await trx('variants').whereIn('sku', [input.sku]).first('sku');
  if (asVariant) throw new CatalogConflictError(`${prefix}sku`, `SKU "${input.sku}" already belongs to a variant of another product`);
  if (variantSkus.length === 0) return;
  const products = await trx('products').whereIn('sku', variantSkus).select('sku');
  if (products.length > 0) {
    const i = variantSkus.indexOf(products[0].sku);
    throw new CatalogConflictError(`${prefix}variants[${i}].sku`, `SKU "${products[0].sku}" already belongs to another product`);
  }
  const foreign = await trx('variants')
    .whereIn('sku', variantSkus)
    .modify((q) => (productId === undefined ? q : q.whereNot({ product_id: productId })))
    .select('sku');
  if (foreign.length > 0) {
    const i = variantSkus.indexOf(foreign[0].sku);
    throw new CatalogConflictError(`${prefix}variants[${i}].sku`, `SKU "${foreign[0].sku}" already belongs to a variant of another product`);
  }
}
