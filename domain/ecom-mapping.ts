import type { Dimensions, ProductImage, ProductSnapshot, VariantSnapshot } from './product';
import { isSoldOnline } from './product';

/**
 * POS -> Lightspeed eCom field mapping (mission.md M-C2, M-C3), kept as data so a test can assert
 * both tables. Direction is POS -> eCom only (M-C4): every POS-owned field below is sent on every
 * write of its resource, empty values included; the fields of ECOM_NEVER_WRITTEN are never sent, so
 * each side keeps its own.
 *
 * Units (eCom, from the official docs quoted by the Java client and the live-tested TS client):
 * `weight` is whole grams (`weightValue`+`weightUnit` only for decimals or other units); sizes are
 * cm, `sizeX` width, `sizeY` height, `sizeZ` length, `size*Value` for decimals. The POS keeps kg and
 * (like WooCommerce's default) cm.
 */

export interface PushedField {
  pos: string;
  ecom: string;
  /** How the value changes on the way, when it does. */
  conversion?: string;
}

export const ECOM_PUSHED_FIELDS: readonly PushedField[] = [
  { pos: 'name', ecom: 'product.title' },
  { pos: 'description', ecom: 'product.description' },
  { pos: 'brand', ecom: 'product.brand', conversion: 'id of the brand resource with that title (found or created); false when empty' },
  { pos: 'sku', ecom: 'variant.sku' },
  { pos: 'upc', ecom: 'variant.ean' },
  { pos: 'variant attributes', ecom: 'variant.title', conversion: '"Name: value, Name: value" (options/values by title; the matrix write API is unconfirmed)' },
  { pos: 'active (and sold online)', ecom: 'product.visibility', conversion: "'visible' when active and online, otherwise 'hidden' (never deleted)" },
  { pos: 'stock', ecom: 'variant.stockLevel', conversion: "with stockTracking 'enabled'" },
  { pos: 'retail price', ecom: 'variant.priceIncl', conversion: 'the shelf price; the shop derives priceExcl from its own tax' },
  { pos: 'images', ecom: 'products/{id}/images', conversion: 'downloaded and uploaded as base64 attachment + filename' },
  { pos: 'weight', ecom: 'variant.weight', conversion: 'kg -> whole grams' },
  { pos: 'dimensions', ecom: 'variant.sizeXValue/sizeYValue/sizeZValue', conversion: "width/height/length in cm, sizeUnit 'cm'" },
];

/** Never sent: POS fields the channel does not carry, and eCom fields the shop owns (M-C3). */
export const ECOM_NEVER_WRITTEN: readonly { what: string; ecom: readonly string[] }[] = [
  { what: 'product category', ecom: ['categories'] },
  { what: 'supplier, supplier code, supplier price', ecom: ['supplier', 'articleCode', 'priceCost'] },
  { what: 'reorder point, reorder quantity', ecom: ['stockMinimum'] },
  { what: 'taxes', ecom: ['tax', 'taxType', 'priceExcl'] },
  { what: 'tags', ecom: ['tags'] },
  { what: 'eCom compare-at (regular) price', ecom: ['oldPriceExcl', 'oldPriceIncl'] },
  { what: 'eCom product subtitle', ecom: ['fulltitle'] },
  { what: 'eCom low-stock threshold', ecom: ['stockAlert'] },
];

export const ECOM_FIELDS_NEVER_WRITTEN: readonly string[] = ECOM_NEVER_WRITTEN.flatMap((n) => n.ecom);

export type EcomVisibilityWrite = 'visible' | 'hidden';

export interface EcomProductPayload {
  title: string;
  description: string;
  visibility: EcomVisibilityWrite;
  brand: number | false;
}

export interface EcomStockPayload {
  stockTracking: 'enabled';
  stockLevel: number;
}

export interface EcomVariantPayload extends EcomStockPayload {
  title: string;
  sku: string;
  ean: string;
  priceIncl: number;
  weight: number;
  sizeXValue: number;
  sizeYValue: number;
  sizeZValue: number;
  sizeUnit: 'cm';
  sortOrder: number;
}

/** One eCom variant a POS product needs: the simple product itself, or one POS variant. */
export interface EcomVariantPlan {
  /** POS variant id; null for a simple product (its eCom default variant). */
  posVariantId: number | null;
  payload: EcomVariantPayload;
  /** The structured attribute map, kept for links and for a matrix write once confirmed. */
  options: { name: string; value: string }[];
  image: EcomImagePlan | null;
}

export interface EcomImagePlan {
  src: string;
  filename: string;
  title: string;
}

export const KG_TO_GRAMS = 1000;

export function gramsFromKg(kg: number | null): number {
  return kg === null ? 0 : Math.round(kg * KG_TO_GRAMS);
}

function sizes(d: Dimensions | null): Pick<EcomVariantPayload, 'sizeXValue' | 'sizeYValue' | 'sizeZValue' | 'sizeUnit'> {
  return { sizeXValue: d?.width ?? 0, sizeYValue: d?.height ?? 0, sizeZValue: d?.length ?? 0, sizeUnit: 'cm' };
}

/** The product write; `brandId` is the eCom brand resource for p.brand (false when p.brand is empty). */
export function toEcomProduct(p: ProductSnapshot, brandId: number | false): EcomProductPayload {
  if (p.brand === '' && brandId !== false) throw new Error('a product without a brand is written with brand: false');
  return {
    title: p.name,
    description: p.description,
    visibility: p.active && isSoldOnline(p) ? 'visible' : 'hidden',
    brand: p.brand === '' ? false : brandId,
  };
}

/** The stock-only write (sent with the budget's 'stock' priority). */
export function toEcomStock(stock: number): EcomStockPayload {
  return { stockTracking: 'enabled', stockLevel: stock };
}

export function variantTitle(p: ProductSnapshot, v: VariantSnapshot | null): string {
  if (!v || v.attributes.length === 0) return p.name || p.sku;
  return v.attributes.map((a) => `${a.name}: ${a.option}`).join(', ');
}

/**
 * The eCom variants of a POS product: a simple product is its default variant; a variable product
 * has one per POS variant that is active (an inactive or removed POS variant is removed in eCom).
 */
export function toEcomVariants(p: ProductSnapshot): EcomVariantPlan[] {
  if (p.type === 'simple') {
    const payload: EcomVariantPayload = {
      title: variantTitle(p, null), sku: p.sku, ean: p.upc, priceIncl: p.retailPrice ?? 0, ...toEcomStock(p.stock),
      weight: gramsFromKg(p.weight), ...sizes(p.dimensions), sortOrder: 1,
    };
    return [{ posVariantId: null, payload, options: [], image: null }];
  }
  return p.variants
    .filter((v) => v.active)
    .map((v) => ({
      posVariantId: v.id,
      payload: {
        title: variantTitle(p, v), sku: v.sku, ean: v.upc, priceIncl: v.retailPrice, ...toEcomStock(v.stock),
        weight: gramsFromKg(v.weight ?? p.weight), ...sizes(v.dimensions ?? p.dimensions), sortOrder: v.position + 1,
      },
      options: v.attributes.map((a) => ({ name: a.name, value: a.option })),
      image: v.image ? imagePlan(v.image, 0) : null,
    }));
}

function imagePlan(img: ProductImage, index: number): EcomImagePlan {
  let base = '';
  try {
    base = decodeURIComponent(new URL(img.src).pathname.split('/').pop() ?? '');
  } catch {
    // not a URL: a generated name below
  }
  const filename = /\.(jpe?g|png|gif|webp)$/i.test(base) ? base : `image-${index + 1}.jpg`;
  return { src: img.src, filename, title: img.alt ?? '' };
}

/** The product's images in POS order; the channel downloads each src and uploads it base64. */
export function toEcomImages(p: ProductSnapshot): EcomImagePlan[] {
  return p.images.map(imagePlan);
}
