import type { Knex } from 'knex';
import type { ProductInput } from '../../domain/product-input';

export class CatalogConflictError extends Error {
  override name = 'CatalogConflictError';
  constructor(public readonly field: string, message: string) {
    super(message);
  }
}

/** The product columns a save writes; a save where none of them differs changes nothing. */
const PRODUCT_COLUMNS = ['sku', 'type', 'name', 'description', 'brand', 'upc', 'retail_price', 'active', 'channels', 'attributes', 'images', 'weight', 'dimensions'];
const VARIANT_COLUMNS = ['product_id', 'upc', 'retail_price', 'attributes', 'image', 'weight', 'dimensions', 'position', 'active'];

/**
 * Creates or replaces a product (matched by SKU) with its variants, inside the caller's
 * transaction. Variants left out of the document are deactivated, not deleted: sales and
 * links keep pointing at them. `changed` is false when the document is what the POS holds
 * already (a GET document posted back): nothing was written, so nothing needs a push.
 */
export async function saveProduct(
  trx: Knex.Transaction, input: ProductInput, fieldPrefix = '',
): Promise<{ productId: number; created: boolean; changed: boolean }> {
  const existing = await trx('products').where({ sku: input.sku }).forUpdate().first('id', 'type', 'archived');
  if (existing?.archived) {
    // Archived is the POS's delete: saving it again would bring it back into the shops.
    throw new CatalogConflictError(`${fieldPrefix}sku`, `product ${input.sku} is archived (deleted in the POS); it cannot be saved again`);
  }
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
  if (!existing) {
    const [inserted] = await trx('products').insert(row, ['id']);
    await saveVariants(trx, inserted.id, input);
    return { productId: inserted.id, created: true, changed: true };
  }
  const updated = await trx('products').where({ id: existing.id }).whereRaw(...differs('products', PRODUCT_COLUMNS, row)).update(row);
  const variantsChanged = await saveVariants(trx, existing.id, input);
  return { productId: existing.id, created: false, changed: updated > 0 || variantsChanged };
}

/** Saves the document's variants; true when any row was written. */
async function saveVariants(trx: Knex.Transaction, productId: number, input: ProductInput): Promise<boolean> {
  const current: { id: number; sku: string }[] = await trx('variants').where({ product_id: productId }).orderBy(['position', 'id']).select('id', 'sku');
  const keep = new Set(input.variants.map((v) => v.sku));
  let changed = false;
  // Left-out variants go after the document's, so the document read back (which lists them) posts back unchanged.
  for (const [k, v] of current.filter((c) => !keep.has(c.sku)).entries()) {
    const position = input.variants.length + k;
    const n = await trx('variants').where({ id: v.id }).where((q) => q.where({ active: true }).orWhereNot({ position }))
      .update({ active: false, position, updated_at: trx.fn.now() });
    if (n > 0) changed = true;
  }
  for (const [position, v] of input.variants.entries()) {
    const row = {
      product_id: productId, sku: v.sku, upc: v.upc, retail_price: v.retail_price,
      attributes: JSON.stringify(v.attributes), image: v.image ? JSON.stringify(v.image) : null, weight: v.weight,
      dimensions: v.dimensions ? JSON.stringify(v.dimensions) : null, position, active: v.active, updated_at: trx.fn.now(),
    };
    const written = await trx('variants').insert(row, ['id']).onConflict('sku').merge()
      .whereRaw(`(${VARIANT_COLUMNS.map((c) => `variants.${c}`).join(', ')}) IS DISTINCT FROM (${VARIANT_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`);
    if (written.length > 0) changed = true;
  }
  return changed;
}

/** A WHERE clause true when the stored row differs from `row` in any of `columns` (jsonb compared by value). */
function differs(table: string, columns: string[], row: Record<string, unknown>): [string, Knex.Value[]] {
  const cols = columns.map((c) => `${table}.${c}`).join(', ');
  const values = columns.map(() => '?').join(', ');
  return [`(${cols}) IS DISTINCT FROM (${values})`, columns.map((c) => (row[c] ?? null) as Knex.Value)];
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
