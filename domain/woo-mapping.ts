import type { ProductSnapshot, VariantSnapshot, Dimensions } from './product';

/**
 * POS -> WooCommerce field mapping.
 * M-A3: every POS-owned field is sent on every push, empty values included, so an empty
 *       POS description empties the shop's description.
 * M-A4: weight and categories are never sent: merchants may edit them in WooCommerce.
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
  manage_stock: boolean;
  stock_quantity: number | null;
  dimensions: WooDimensionsWrite;
  images: { src: string; alt?: string }[];
  attributes: { name: string; position: number; visible: boolean; variation: boolean; options: string[] }[];
  meta_data: { key: string; value: string }[];
}

export interface WooVariationPayload {
  sku: string;
  status: 'publish' | 'private';
  regular_price: string;
  sale_price: string;
  manage_stock: boolean;
  stock_quantity: number;
  dimensions: WooDimensionsWrite;
  /** Omitted when the POS has none: WooCommerce's schema refuses null here. */
  image?: { src: string; alt?: string };
  attributes: { name: string; option: string }[];
  menu_order: number;
  meta_data: { key: string; value: string }[];
}

/** Field names the push never writes (M-A4). Kept as data so tests can assert it. */
export const WOO_FIELDS_NEVER_PUSHED = ['weight', 'categories'] as const;

export function money(value: number | null): string {
  return value === null ? '' : value.toFixed(2);
}

function dimensions(d: Dimensions | null): WooDimensionsWrite {
  const s = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return { length: s(d?.length), width: s(d?.width), height: s(d?.height) };
}

export function toWooProduct(p: ProductSnapshot): WooProductPayload {
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
    manage_stock: !variable,
    stock_quantity: variable ? null : p.stock,
    dimensions: dimensions(p.dimensions),
    images: p.images.map((i) => (i.alt ? { src: i.src, alt: i.alt } : { src: i.src })),
    attributes,
    meta_data: [{ key: POSSYNC_META_KEY, value: String(p.id) }],
  };
}

export function toWooVariation(productId: number, v: VariantSnapshot): WooVariationPayload {
  return {
    sku: v.sku,
    status: v.active ? 'publish' : 'private',
    regular_price: money(v.retailPrice),
    sale_price: '',
    manage_stock: true,
    stock_quantity: v.stock,
    dimensions: dimensions(v.dimensions),
    ...(v.image ? { image: { src: v.image.src, ...(v.image.alt ? { alt: v.image.alt } : {}) } } : {}),
    attributes: v.attributes.map((a) => ({ name: a.name, option: a.option })),
    menu_order: v.position,
    meta_data: [{ key: POSSYNC_META_KEY, value: `${productId}:${v.id}` }],
  };
}
