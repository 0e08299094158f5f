// A variation create or partial update (WC_REST_Product_Variations_Controller::prepare_object_for_database)
// and its save-time rules. Works on a copy: nothing is stored when it throws.
import { absint, asRecord, isSet, phpEmpty, phpIntval, phpStrval, phpTruthy, phpValues } from './coerce';
import { WpError } from './errors';
import { type AttributeValue, type ProductRecord, cloneRecord, newProductRecord } from './model';
import { sanitizeTitle, wcClean } from './sanitize';
import { attributeKey, formattedVariation } from './shape-common';
import { alignStock } from './stock';
import {
  type Params,
  type WriteEnv,
  applyDownloadFlags,
  applyMeta,
  applyPrices,
  applyShipping,
  applySku,
  applyStock,
  applyTax,
  postStatus,
  resolveImage,
} from './write-common';

function applyImage(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (!isSet(p.image)) return;
  const image = asRecord(p.image);
  if (!image) {
    r.imageId = 0;
    return;
  }
  if (absint(image.id) === 0 && !isSet(image.src)) {
    r.imageId = 0;
    return;
  }
  r.imageId = resolveImage(env, image, 'variation');
}

/** Attributes the parent does not mark as used for variations are silently ignored. */
function prepareAttributes(env: WriteEnv, parent: ProductRecord | undefined, value: unknown): AttributeValue[] {
  if (!parent) {
    throw new WpError('woocommerce_rest_product_variation_invalid_parent', 'Cannot set attributes due to invalid parent product.', 404);
  }
  const out: AttributeValue[] = [];
  for (const item of phpValues(value)) {
    const a = asRecord(item);
    if (!a) continue;
    const name = !phpEmpty(a.id) ? env.store.taxonomy.attribute(absint(a.id)).slug : !phpEmpty(a.name) ? sanitizeTitle(a.name) : '';
    if (!name) continue;
    const parentAttr = parent.attributes.find((pa) => attributeKey(env.store, pa.id, pa.name) === name);
    if (!parentAttr?.variation) continue;
    const key = attributeKey(env.store, parentAttr.id, parentAttr.name);
    const option = isSet(a.option) ? wcClean(a.option) : '';
    const existing = out.find((o) => o.key === key);
    if (existing) existing.option = option;
    else out.push({ key, option });
  }
  return out;
}

export function prepareVariation(env: WriteEnv, existing: ProductRecord | undefined, p: Params): ProductRecord {
  const r = existing ? cloneRecord(existing) : newProductRecord('variation', env.now);
  r.parentId = absint(p.product_id);
  const parent = env.store.product(r.parentId);
  if (!existing && !parent) {
    throw new WpError('woocommerce_rest_product_variation_invalid_parent', 'Cannot set attributes due to invalid parent product.', 404);
  }
  if (isSet(p.status)) r.status = postStatus(p.status);
  applySku(env, r, p);
  applyImage(env, r, p);
  applyDownloadFlags(r, p);
  applyShipping(r, p);
  applyStock(r, p);
  applyPrices(env, r, p);
  applyTax(r, p, true);
  if (isSet(p.description)) r.description = phpStrval(p.description);
  if (isSet(p.attributes)) r.variationAttributes = prepareAttributes(env, parent, p.attributes);
  if (phpTruthy(p.menu_order)) r.menuOrder = phpIntval(p.menu_order);
  applyMeta(env, r, p);
  return r;
}

/** generate_product_title: "Parent - S" (or "Parent - S, Red"); just the parent name for 3+ attributes. */
function variationTitle(parent: ProductRecord | undefined, r: ProductRecord): string {
  const base = parent?.name ?? '';
  const values = r.variationAttributes.filter((a) => a.option !== '');
  let include = r.variationAttributes.length > 0 && r.variationAttributes.length < 3;
  if (include && r.variationAttributes.length > 1 && r.variationAttributes.some((a) => a.key.includes('-'))) include = false;
  return include && values.length > 0 ? `${base} - ${formattedVariation(r)}` : base;
}

export function finalizeVariation(env: WriteEnv, r: ProductRecord): void {
  const parent = env.store.product(r.parentId);
  r.name = variationTitle(parent, r);
  r.slug = sanitizeTitle(r.name);
  alignStock(r);
  r.modified = env.now;
}
