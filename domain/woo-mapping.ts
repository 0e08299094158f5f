import type { ProductSnapshot, VariantSnapshot, Dimensions } from './product';
import { imageRef, mediaKey, needsDownload, NO_MEDIA, type KnownMedia, type WooImageRef } from './woo-images';

/**
 * POS -> WooCommerce field mapping.
 * M-A3: every POS-owned field is sent on every push, empty values included, so an empty
 *       POS description empties the shop's description.
 * M-A4: weight and categories are never sent on update: merchants may edit them in WooCommerce.
 *       A product (or variation) the shop does not have yet starts with the POS weight
 *       (issue 6 point 7): toWooProductCreate / toWooVariationCreate.
 * Images go by media id once the shop has them (issue 6 point 1, see woo-images.ts).
 */

export const POSSYNC_META_KEY = '_possync_product_id';
export const BRAND_ATTRIBUTE = 'Brand';

export interface WooDimensionsWrite {
  length: string;
  width: string;
  height: string;
}

export interface WooProductPayload {
  name: string;
  type: 'simple' | 'variable';
  status: 'publish' | 'draft';
  sku: string;
  description: string;
  regular_price: string;
  sale_price: string;
  /** Absent when another source owns the item's stock in the shop (M-D8). */
  manage_stock?: boolean;
  stock_quantity?: number | null;
  dimensions: WooDimensionsWrite;
  /** Absent only in a push that must not make the shop download anything (stock-only pushes). */
  images?: WooImageRef[];
  attributes: { name: string; position: number; visible: boolean; variation: boolean; options: string[] }[];
  meta_data: { key: string; value: string }[];
}

export interface WooVariationPayload {
  sku: string;
  status: 'publish' | 'private';
  regular_price: string;
  sale_price: string;
  /** Absent when another source owns the item's stock in the shop (M-D8). */
  manage_stock?: boolean;
  stock_quantity?: number;
  dimensions: WooDimensionsWrite;
  /**
   * `{}` removes the shop's image (WooCommerce's schema refuses null here). Absent only in a push
   * that must not make the shop download anything, which leaves the shop's image as it is.
   */
  image?: WooImageRef;
  attributes: { name: string; option: string }[];
  menu_order: number;
  meta_data: { key: string; value: string }[];
}

/** Field names the push never writes (M-A4). Kept as data so tests can assert it. */
export const WOO_FIELDS_NEVER_PUSHED = ['weight', 'categories'] as const;

export type WooProductCreatePayload = WooProductPayload & { weight: string };
export type WooVariationCreatePayload = WooVariationPayload & { weight: string };

export interface MappingOptions {
  /** Media ids the shop already has for this product's images (parent and variants). */
  media?: KnownMedia;
  /**
   * false: never make the shop download an image. Images are sent only when every one has a
   * media id, otherwise left out so the shop keeps what it has (stock-only pushes).
   */
  download?: boolean;
}

function weight(w: number | null): string {
  return w === null ? '' : String(w);
}

export function money(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}

function dimensions(d: Dimensions | null): WooDimensionsWrite {
  const s = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return { length: s(d?.length), width: s(d?.width), height: s(d?.height) };
}

function productImages(p: ProductSnapshot, o: MappingOptions): WooImageRef[] | undefined {
  const media = o.media ?? NO_MEDIA;
  const refs = p.images.map((i) => imageRef(i, media.get(mediaKey(null, i.src))));
  return o.download === false && refs.some(needsDownload) ? undefined : refs;
}

function variationImage(v: VariantSnapshot, o: MappingOptions): WooImageRef | undefined {
  if (!v.image) return {};
  const ref = imageRef(v.image, (o.media ?? NO_MEDIA).get(mediaKey(v.id, v.image.src)));
  return o.download === false && needsDownload(ref) ? undefined : ref;
}

/** The update payload: every POS-owned field (M-A3), never weight or categories (M-A4). */
export function toWooProduct(p: ProductSnapshot, o: MappingOptions = {}): WooProductPayload {
  const variable = p.type === 'variable';
  const attributes: WooProductPayload['attributes'] = variable
    ? p.attributes.map((a, i) => ({ name: a.name, position: i, visible: true, variation: true, options: a.options }))
    : [];
  // Brand has no core field in WooCommerce 8.9; a visible attribute shows it on the product page.
  // An empty brand sends no Brand attribute, which removes it (M-A3).
  if (p.brand) {
    attributes.push({ name: BRAND_ATTRIBUTE, position: attributes.length, visible: true, variation: false, options: [p.brand] });
  }
  return {
    name: p.name,
    type: p.type,
    status: p.active ? 'publish' : 'draft',
    sku: p.sku,
    description: p.description,
    regular_price: variable ? '' : money(p.retailPrice),
    sale_price: '',
    ...(p.stockOwner ? {} : { manage_stock: !variable, stock_quantity: variable ? null : p.stock }),
    dimensions: dimensions(p.dimensions),
    ...withImages(productImages(p, o)),
    attributes,
    meta_data: [{ key: POSSYNC_META_KEY, value: String(p.id) }],
  };
}

function withImages(images: WooImageRef[] | undefined): { images?: WooImageRef[] } {
  return images === undefined ? {} : { images };
}

/** A product the shop does not have yet: the update payload plus the POS weight it starts with. */
export function toWooProductCreate(p: ProductSnapshot, o: MappingOptions = {}): WooProductCreatePayload {
  return { ...toWooProduct(p, o), weight: weight(p.weight) };
}

/** The update payload of a variation: as toWooProduct, never its weight (M-A4). */
export function toWooVariation(productId: number, v: VariantSnapshot, o: MappingOptions = {}): WooVariationPayload {
  const image = variationImage(v, o);
  return {
    sku: v.sku,
    status: v.active ? 'publish' : 'private',
    regular_price: money(v.retailPrice),
    sale_price: '',
    ...(v.stockOwner ? {} : { manage_stock: true, stock_quantity: v.stock }),
    dimensions: dimensions(v.dimensions),
    ...(image !== undefined ? { image } : {}),
    attributes: v.attributes.map((a) => ({ name: a.name, option: a.option })),
    menu_order: v.position,
    meta_data: [{ key: POSSYNC_META_KEY, value: `${productId}:${v.id}` }],
  };
}

/**
 * A variation the shop does not have yet starts with the POS weight; a variant without one
 * sends '' so WooCommerce shows the parent's.
 */
export function toWooVariationCreate(productId: number, v: VariantSnapshot, o: MappingOptions = {}): WooVariationCreatePayload {
  return { ...toWooVariation(productId, v, o), weight: weight(v.weight) };
}

/** The stock level a push writes to one linked shop item (variantId null: a simple product). */
export interface WrittenStock {
  productId: number;
  variantId: number | null;
  stock: number;
}

/**
 * The items whose stock toWooProduct / toWooVariation write, with the level: a simple product's
 * own, each variation's; never a variable parent (stock not managed) nor an item whose stock a
 * SmartBill connection owns (M-D8).
 */
export function writtenStock(p: ProductSnapshot): WrittenStock[] {
  if (p.type !== 'variable') return p.stockOwner ? [] : [{ productId: p.id, variantId: null, stock: p.stock }];
  return p.variants.filter((v) => !v.stockOwner).map((v) => ({ productId: p.id, variantId: v.id, stock: v.stock }));
}
