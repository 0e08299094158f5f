// A product create or partial update, following WC_REST_Products_Controller::prepare_object_for_database
// and the save-time rules (validate_props, default category, slug). Works on a copy: nothing is
// stored when it throws.
import { PRODUCT_TYPES } from './arg-schemas';
import { absint, asRecord, isSet, phpEmpty, phpIntval, phpStrval, phpTruthy, phpValues, wcStringToBool } from './coerce';
import { WpError, variationViaProductsRoute } from './errors';
import { type AttributeValue, type ProductAttribute, type ProductRecord, type ProductType, cloneRecord, newProductRecord } from './model';
import { sanitizeTitle, wcClean } from './sanitize';
import { attributeKey } from './shape-common';
import { alignStock, childrenStockStatus } from './stock';
import { UNCATEGORIZED_ID } from './taxonomy';
import {
  type Params,
  type WriteEnv,
  applyDateCreated,
  applyDownloadFlags,
  applyIdList,
  applyMeta,
  applyPrices,
  applyShipping,
  applySku,
  applyStock,
  applyTax,
  postStatus,
  resolveImage,
} from './write-common';

export interface ProductWriteResult {
  record: ProductRecord;
  /** The product stopped being variable: its variations are deleted for good. */
  dropVariations: boolean;
}

function applyType(r: ProductRecord, p: Params): void {
  if (!isSet(p.type)) return;
  const type = phpStrval(p.type);
  if (type === 'variation') throw variationViaProductsRoute();
  r.type = (PRODUCT_TYPES as readonly string[]).includes(type) ? (type as ProductType) : 'simple';
}

function applyCatalogVisibility(r: ProductRecord, p: Params): void {
  if (!isSet(p.catalog_visibility)) return;
  const v = phpStrval(p.catalog_visibility);
  if (!['visible', 'catalog', 'search', 'hidden'].includes(v)) {
    throw new WpError('product_invalid_catalog_visibility', 'Invalid catalog visibility option.', 400);
  }
  r.catalogVisibility = v;
}

function applyTexts(r: ProductRecord, p: Params): void {
  if (isSet(p.name)) r.name = phpStrval(p.name);
  // A null description clears it (recorded: short_description null -> "").
  if ('description' in p) r.description = phpStrval(p.description);
  if ('short_description' in p) r.shortDescription = phpStrval(p.short_description);
  if (isSet(p.purchase_note)) r.purchaseNote = phpStrval(p.purchase_note);
}

/** prepare_attributes: the whole list is replaced; custom attributes need options. */
function prepareAttributes(env: WriteEnv, value: unknown): ProductAttribute[] {
  const out: ProductAttribute[] = [];
  for (const item of phpValues(value)) {
    const a = asRecord(item);
    if (!a) continue;
    const id = phpEmpty(a.id) ? 0 : absint(a.id);
    const name = id ? env.store.taxonomy.attribute(id).name : phpEmpty(a.name) ? '' : wcClean(a.name);
    if (!id && !name) continue;
    if (!isSet(a.options) && !id) continue;
    const raw = Array.isArray(a.options) ? a.options : isSet(a.options) ? phpStrval(a.options).split('|') : [];
    const options = raw.map((o) => phpStrval(o).trim()).filter((o) => o !== '');
    if (id && options.length === 0) continue;
    out.push({
      id,
      name: id ? '' : name,
      position: isSet(a.position) ? absint(a.position) : 0,
      visible: phpTruthy(a.visible),
      variation: phpTruthy(a.variation),
      options,
    });
  }
  return out;
}

function prepareDefaultAttributes(env: WriteEnv, r: ProductRecord, value: unknown): AttributeValue[] {
  const out: AttributeValue[] = [];
  for (const item of phpValues(value)) {
    const d = asRecord(item);
    if (!d) continue;
    const key = !phpEmpty(d.id) ? env.store.taxonomy.attribute(absint(d.id)).slug : !phpEmpty(d.name) ? sanitizeTitle(d.name) : '';
    if (!key) continue;
    const attr = r.attributes.find((a) => attributeKey(env.store, a.id, a.name) === key);
    if (!attr?.variation) continue;
    const option = isSet(d.option) ? wcClean(d.option) : '';
    if (option) out.push({ key, option });
  }
  return out;
}

function applyTerms(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (isSet(p.categories)) {
    r.categoryIds = phpValues(p.categories)
      .map((c) => absint(asRecord(c)?.id))
      .filter((id) => id > 0)
      .map((id) => env.store.taxonomy.category(id).id);
  }
  if (isSet(p.tags)) {
    r.tagIds = phpValues(p.tags).flatMap((t) => {
      const rec = asRecord(t);
      const id = absint(rec?.id);
      if (id > 0) return [env.store.taxonomy.tag(id).id];
      return rec && phpTruthy(rec.name) ? [env.store.taxonomy.tagByName(wcClean(rec.name)).id] : [];
    });
  }
}

/**
 * WooCommerce 8.9.1 saves the product as soon as its featured image is set
 * (wc_product_attach_featured_image calls $product->save()), so when a later gallery image fails
 * the request answers 400 yet the product is stored with every field applied before the images
 * (a create too, with a new id; not its meta_data, applied after). Recorded on the kit's store.
 */
export class SavedBeforeImageError extends Error {
  constructor(readonly error: WpError, readonly record: ProductRecord) {
    super(error.message);
  }
}

/** set_product_images: index 0 is the featured image, the rest the gallery; [] removes them. */
function applyImages(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (!isSet(p.images)) return;
  const list = Array.isArray(p.images) ? p.images : phpValues(p.images);
  const kept = list.map((img, index) => ({ img, index })).filter(({ img }) => phpTruthy(img));
  if (kept.length === 0) {
    r.imageId = 0;
    r.galleryIds = [];
    return;
  }
  const gallery: number[] = [];
  let featuredSaved = false;
  for (const { img, index } of kept) {
    let id: number;
    try {
      id = resolveImage(env, asRecord(img) ?? {}, 'product');
    } catch (err) {
      if (featuredSaved && err instanceof WpError) throw new SavedBeforeImageError(err, cloneRecord(r));
      throw err;
    }
    if (index === 0) {
      r.imageId = id;
      featuredSaved = true;
    } else gallery.push(id);
  }
  r.galleryIds = gallery;
}

function applyTypeSpecific(r: ProductRecord, p: Params): void {
  if (r.type === 'external') {
    if (isSet(p.external_url)) r.externalUrl = phpStrval(p.external_url);
    if (isSet(p.button_text)) r.buttonText = phpStrval(p.button_text);
  }
  if (r.type === 'grouped') {
    const ids = applyIdList(p, 'grouped_products');
    if (ids) r.groupedIds = ids;
  }
  if (r.type === 'variable' || r.type === 'grouped') {
    r.regularPrice = r.salePrice = '';
    r.saleFrom = r.saleTo = null;
  }
}

/** Applies `p` to a copy of `existing` (or a new product). Throws WpError on invalid data. */
export function prepareProduct(env: WriteEnv, existing: ProductRecord | undefined, p: Params): ProductWriteResult {
  if (existing?.type === 'variation') throw variationViaProductsRoute();
  const r = existing ? cloneRecord(existing) : newProductRecord('simple', env.now);
  const oldType = r.type;
  applyType(r, p);
  applyTexts(r, p);
  if (isSet(p.status)) r.status = postStatus(p.status);
  if (isSet(p.slug)) r.slug = sanitizeTitle(p.slug);
  applyCatalogVisibility(r, p);
  if (isSet(p.featured)) r.featured = wcStringToBool(p.featured);
  applyDownloadFlags(r, p);
  applyShipping(r, p);
  applySku(env, r, p);
  if (isSet(p.attributes)) r.attributes = prepareAttributes(env, p.attributes);
  applyPrices(env, r, p);
  applyTax(r, p, false);
  if (isSet(p.sold_individually)) r.soldIndividually = wcStringToBool(p.sold_individually);
  applyStock(r, p);
  r.upsellIds = applyIdList(p, 'upsell_ids') ?? r.upsellIds;
  r.crossSellIds = applyIdList(p, 'cross_sell_ids') ?? r.crossSellIds;
  if (isSet(p.reviews_allowed)) r.reviewsAllowed = wcStringToBool(p.reviews_allowed);
  if (isSet(p.parent_id)) r.parentId = absint(p.parent_id);
  if (isSet(p.menu_order)) r.menuOrder = phpIntval(p.menu_order);
  applyTerms(env, r, p);
  applyImages(env, r, p);
  if (r.type === 'variable' && isSet(p.default_attributes)) r.defaultAttributes = prepareDefaultAttributes(env, r, p.default_attributes);
  applyDateCreated(env, r, p);
  applyTypeSpecific(r, p);
  applyMeta(env, r, p);
  return { record: r, dropVariations: oldType === 'variable' && r.type !== 'variable' };
}

/** What WooCommerce does on save: default name and category, slug, stock alignment, dates. */
export function finalizeProduct(env: WriteEnv, r: ProductRecord, previous: ProductRecord | undefined, p: Params): void {
  if (!previous && r.name === '') r.name = 'Product';
  if (r.categoryIds.length === 0) r.categoryIds = [UNCATEGORIZED_ID];
  if (r.type !== 'variable') r.defaultAttributes = [];
  if (r.status === 'trash' && !r.slug.endsWith('__trashed')) r.slug = `${r.slug}__trashed`;
  if (r.status !== 'trash') r.slug = r.slug.replace(/__trashed$/, '');
  if (!previous || isSet(p.slug) || r.slug !== previous.slug || r.slug === '') {
    r.slug = r.status === 'trash' ? r.slug : env.store.uniqueSlug(r.slug || sanitizeTitle(r.name), r.id);
  }
  alignStock(r);
  if (r.type === 'variable' && !r.manageStock) r.stockStatus = childrenStockStatus(env.store, r);
  r.modified = env.now;
}
