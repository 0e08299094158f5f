// Turns the API's loose JSON into the client's types: `false`/'' relations → null, numeric strings → numbers.
import type { EcomBrand, EcomImage, EcomOrder, EcomOrderProduct, EcomProduct, EcomVariant, EcomWebhook } from './types';

type Json = Record<string, unknown>;

export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return 0;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The id of a relation {resource:{id}}, or null for false / a missing id. */
export function relationId(v: unknown): number | null {
  if (typeof v !== 'object' || v === null) return null;
  const id = (v as { resource?: { id?: unknown } }).resource?.id;
  const n = num(id);
  return n > 0 ? n : null;
}

/** The src of an inline file object (`image`), null when the API sends false. */
function fileSrc(v: unknown): string | null {
  return typeof v === 'object' && v !== null ? str((v as Json).src) || null : null;
}

export function toProduct(p: Json): EcomProduct {
  return {
    id: num(p.id),
    createdAt: str(p.createdAt),
    updatedAt: str(p.updatedAt),
    visibility: (str(p.visibility) || 'hidden') as EcomProduct['visibility'],
    isVisible: p.isVisible === true,
    title: str(p.title),
    fulltitle: str(p.fulltitle),
    description: str(p.description),
    content: str(p.content),
    url: str(p.url),
    brandId: relationId(p.brand),
    imageSrc: fileSrc(p.image),
    data01: str(p.data01),
  };
}

export function toVariant(v: Json): EcomVariant {
  return {
    id: num(v.id),
    productId: relationId(v.product) ?? 0,
    createdAt: str(v.createdAt),
    updatedAt: str(v.updatedAt),
    isDefault: v.isDefault === true,
    sortOrder: num(v.sortOrder),
    title: str(v.title),
    sku: str(v.sku),
    ean: str(v.ean),
    articleCode: str(v.articleCode),
    priceExcl: num(v.priceExcl),
    priceIncl: num(v.priceIncl),
    oldPriceIncl: num(v.oldPriceIncl),
    stockTracking: (str(v.stockTracking) || 'disabled') as EcomVariant['stockTracking'],
    stockLevel: num(v.stockLevel),
    weight: num(v.weight),
    sizeX: num(v.sizeX),
    sizeY: num(v.sizeY),
    sizeZ: num(v.sizeZ),
    imageSrc: fileSrc(v.image),
  };
}

export const toBrand = (b: Json): EcomBrand => ({ id: num(b.id), title: str(b.title), isVisible: b.isVisible !== false });

export const toImage = (i: Json): EcomImage => ({ id: num(i.id), sortOrder: num(i.sortOrder), title: str(i.title), src: str(i.src), size: num(i.size), extension: str(i.extension) });

export const toOrder = (o: Json): EcomOrder => ({
  id: num(o.id),
  number: str(o.number),
  createdAt: str(o.createdAt),
  updatedAt: str(o.updatedAt),
  status: str(o.status),
  paymentStatus: str(o.paymentStatus),
  shipmentStatus: str(o.shipmentStatus),
  channel: str(o.channel),
});

export const toOrderProduct = (p: Json): EcomOrderProduct => ({
  id: num(p.id),
  productId: relationId(p.product),
  variantId: relationId(p.variant),
  productTitle: str(p.productTitle),
  variantTitle: str(p.variantTitle),
  sku: str(p.sku),
  ean: str(p.ean),
  articleCode: str(p.articleCode),
  quantityOrdered: num(p.quantityOrdered),
  quantityRefunded: num(p.quantityRefunded),
  quantityReturned: num(p.quantityReturned),
  priceIncl: num(p.priceIncl),
});

export const toWebhook = (w: Json): EcomWebhook => ({
  id: num(w.id),
  isActive: w.isActive === true,
  itemGroup: str(w.itemGroup),
  itemAction: str(w.itemAction),
  language: str(w.language),
  format: 'json',
  address: str(w.address),
});
