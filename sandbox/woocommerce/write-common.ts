// Setters shared by product and variation writes. Only keys present in the request are applied
// (PHP isset: a null value counts as absent), and values get the conversions WooCommerce applies.
import { absint, asRecord, isSet, phpIntval, phpStrval, phpTruthy, phpValues, wcStringToBool } from './coerce';
import { instantFromGmt, instantFromLocal } from './dates';
import { WpError } from './errors';
import { ImageUploadError } from './media';
import type { Backorders, ProductRecord, StockStatus } from './model';
import { wcClean, wcFormatDecimal } from './sanitize';
import { wpParseList } from './schema-validate';
import type { Store } from './store';

export type Params = Record<string, unknown>;

export interface WriteEnv {
  store: Store;
  now: number;
  tzOffsetMinutes: number;
}

const STOCK_STATUSES: readonly string[] = ['instock', 'outofstock', 'onbackorder'];
const BACKORDERS: readonly string[] = ['no', 'notify', 'yes'];
const TAX_CLASSES: readonly string[] = ['', 'reduced-rate', 'zero-rate'];

/** The SKU check of set_sku: unique across products and variations, trash excluded. */
export function applySku(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (!isSet(p.sku)) return;
  const sku = wcClean(p.sku);
  if (sku !== '') {
    const owner = env.store.skuOwner(sku, r.id);
    if (owner !== undefined) {
      let unique = sku;
      for (let i = 1; env.store.skuOwner(unique, r.id) !== undefined; i++) unique = `${sku}-${i}`;
      throw new WpError('product_invalid_sku', 'Invalid or duplicated SKU.', 400, { resource_id: owner, unique_sku: unique });
    }
  }
  r.sku = sku;
}

/** regular/sale prices and the sale schedule. */
export function applyPrices(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (isSet(p.regular_price)) r.regularPrice = wcFormatDecimal(p.regular_price);
  if (isSet(p.sale_price)) r.salePrice = wcFormatDecimal(p.sale_price);
  const local = (v: unknown): number | null | undefined => (phpStrval(v) === '' ? null : instantFromLocal(phpStrval(v), env.tzOffsetMinutes));
  const gmt = (v: unknown): number | null | undefined => (phpTruthy(v) ? instantFromGmt(phpStrval(v)) : null);
  const set = (field: 'saleFrom' | 'saleTo', value: number | null | undefined): void => {
    if (value !== undefined) r[field] = value;
  };
  if (isSet(p.date_on_sale_from)) set('saleFrom', local(p.date_on_sale_from));
  if (isSet(p.date_on_sale_from_gmt)) set('saleFrom', gmt(p.date_on_sale_from_gmt));
  if (isSet(p.date_on_sale_to)) set('saleTo', local(p.date_on_sale_to));
  if (isSet(p.date_on_sale_to_gmt)) set('saleTo', gmt(p.date_on_sale_to_gmt));
}

export function applyTax(r: ProductRecord, p: Params, allowParent: boolean): void {
  if (isSet(p.tax_status)) {
    const status = phpStrval(p.tax_status).toLowerCase() || 'taxable';
    if (!['taxable', 'shipping', 'none'].includes(status)) throw new WpError('product_invalid_tax_status', 'Invalid product tax status.', 400);
    r.taxStatus = status;
  }
  if (isSet(p.tax_class)) {
    const raw = phpStrval(p.tax_class).toLowerCase().replace(/\s+/g, '-');
    const cls = raw === 'standard' ? '' : raw;
    r.taxClass = TAX_CLASSES.includes(cls) || (allowParent && cls === 'parent') ? cls : '';
  }
}

/**
 * Stock handling of prepare_object_for_database: a quantity only counts when stock is managed
 * (after this request's manage_stock), otherwise quantity, backorders and low stock are cleared.
 */
export function applyStock(r: ProductRecord, p: Params): void {
  if (isSet(p.manage_stock)) r.manageStock = wcStringToBool(p.manage_stock);
  if (isSet(p.stock_status) && STOCK_STATUSES.includes(phpStrval(p.stock_status))) r.stockStatus = phpStrval(p.stock_status) as StockStatus;
  if (isSet(p.backorders) && BACKORDERS.includes(phpStrval(p.backorders))) r.backorders = phpStrval(p.backorders) as Backorders;
  if (r.manageStock) {
    if (isSet(p.stock_quantity)) r.stockQuantity = phpIntval(p.stock_quantity);
    else if (isSet(p.inventory_delta)) r.stockQuantity = (r.stockQuantity ?? 0) + phpIntval(p.inventory_delta);
    if ('low_stock_amount' in p) r.lowStockAmount = p.low_stock_amount === null ? null : phpIntval(p.low_stock_amount);
  } else {
    r.backorders = 'no';
    r.stockQuantity = null;
    r.lowStockAmount = null;
  }
}

/** save_product_shipping_data: weight and dimensions (cleared on virtual items). */
export function applyShipping(r: ProductRecord, p: Params): void {
  if (isSet(p.weight)) r.weight = wcFormatDecimal(p.weight);
  const dims = asRecord(p.dimensions);
  if (dims) {
    if (isSet(dims.length)) r.length = wcFormatDecimal(dims.length);
    if (isSet(dims.width)) r.width = wcFormatDecimal(dims.width);
    if (isSet(dims.height)) r.height = wcFormatDecimal(dims.height);
  }
  if (r.virtual) r.weight = r.length = r.width = r.height = '';
}

export function applyDownloadFlags(r: ProductRecord, p: Params): void {
  if (isSet(p.virtual)) r.virtual = wcStringToBool(p.virtual);
  if (isSet(p.downloadable)) r.downloadable = wcStringToBool(p.downloadable);
  if (!r.downloadable) return;
  if (Array.isArray(p.downloads)) {
    r.downloads = p.downloads.flatMap((d) => {
      const rec = asRecord(d);
      if (!rec || !isSet(rec.file)) return [];
      const file = phpStrval(rec.file);
      return [{ id: isSet(rec.id) && phpStrval(rec.id) !== '' ? phpStrval(rec.id) : hashId(file), name: phpStrval(rec.name), file }];
    });
  }
  if (isSet(p.download_limit)) r.downloadLimit = phpIntval(p.download_limit);
  if (isSet(p.download_expiry)) r.downloadExpiry = phpIntval(p.download_expiry);
}

function hashId(s: string): string {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** meta_data: an entry with a known id is updated in place, otherwise the key is; null deletes. */
export function applyMeta(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (!Array.isArray(p.meta_data) && !asRecord(p.meta_data)) return;
  for (const item of phpValues(p.meta_data)) {
    const m = asRecord(item);
    if (!m || !isSet(m.key)) continue;
    const key = phpStrval(m.key);
    const value = m.value === undefined ? null : m.value;
    const id = absint(m.id);
    const byId = id ? r.meta.find((e) => e.id === id) : undefined;
    if (byId) {
      byId.key = key;
      byId.value = value;
      continue;
    }
    const matches = r.meta.filter((e) => e.key === key);
    const [first, ...rest] = matches;
    if (first) {
      first.value = value;
      r.meta = r.meta.filter((e) => !rest.includes(e));
    } else {
      r.meta.push({ id: env.store.allocateMetaId(), key, value });
    }
  }
  r.meta = r.meta.filter((e) => e.value !== null);
}

export function applyIdList(p: Params, key: string): number[] | undefined {
  if (!isSet(p[key])) return undefined;
  return wpParseList(p[key])
    .map(absint)
    .filter((n) => n > 0);
}

/** One image written as {id} or {src}; returns the attachment id. */
export function resolveImage(env: WriteEnv, image: Record<string, unknown>, codePrefix: 'product' | 'variation'): number {
  let id = absint(image.id);
  if (id === 0 && isSet(image.src)) {
    try {
      id = env.store.media.sideload(phpStrval(image.src), env.now).id;
    } catch (err) {
      if (err instanceof ImageUploadError) throw new WpError(`woocommerce_${codePrefix}_image_upload_error`, err.message, 400);
      throw err;
    }
  }
  const item = env.store.media.get(id);
  if (!item) throw new WpError(`woocommerce_${codePrefix}_invalid_image_id`, `#${id} is an invalid image ID.`, 400);
  if (phpTruthy(image.alt)) item.alt = wcClean(image.alt);
  if (phpTruthy(image.name)) item.name = phpStrval(image.name);
  return id;
}

/** set_date_created from date_created (site time) or date_created_gmt. */
export function applyDateCreated(env: WriteEnv, r: ProductRecord, p: Params): void {
  if (isSet(p.date_created)) {
    const t = instantFromLocal(phpStrval(p.date_created), env.tzOffsetMinutes);
    if (t !== undefined) r.created = Math.floor(t / 1000) * 1000;
  }
  if (isSet(p.date_created_gmt)) {
    const t = instantFromGmt(phpStrval(p.date_created_gmt));
    if (t !== undefined) r.created = Math.floor(t / 1000) * 1000;
  }
}

/** Post statuses WordPress knows; anything else is saved as draft. */
export function postStatus(v: unknown): string {
  const s = phpStrval(v);
  return ['publish', 'future', 'draft', 'pending', 'private', 'trash'].includes(s) ? s : 'draft';
}
