// How the real API renders resources: relations as {resource:{id,url,link}} or the literal false,
// some numbers as strings (the *Value fields, order prices), dates with an offset.
import type { BrandRow, EcomStore, ImageRow, OrderProductRow, OrderRow, ProductRow, VariantRow, WebhookRow } from './model';

export interface RenderContext {
  /** e.g. http://127.0.0.1:1234 */
  base: string;
  lang: string;
  store: EcomStore;
  /** Send variant prices and stock as strings, as some clients report seeing. */
  stringNumbers?: boolean;
}

function maybeString(c: RenderContext, n: number): number | string {
  return c.stringNumbers ? String(n) : n;
}

export function isoDate(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function relation(c: RenderContext, url: string, id: number | false = false): { resource: { id: number | false; url: string; link: string } } {
  return { resource: { id, url, link: `${c.base}/${c.lang}/${url}.json` } };
}

function fileSrc(c: RenderContext, img: ImageRow): string {
  return `${c.base}/files/${img.id}/${img.filename}`;
}

function imageObject(c: RenderContext, img: ImageRow) {
  return { createdAt: img.createdAt, updatedAt: img.updatedAt, extension: img.extension, size: img.size, title: img.title, thumb: fileSrc(c, img).replace('/files/', '/files/thumb/'), src: fileSrc(c, img) };
}

export function renderImage(c: RenderContext, img: ImageRow) {
  return { id: img.id, sortOrder: img.sortOrder, ...imageObject(c, img) };
}

export function renderProduct(c: RenderContext, p: ProductRow) {
  const text = p.text[c.lang]!;
  const images = c.store.imagesOf(p.id);
  return {
    id: p.id,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    isVisible: p.visibility !== 'hidden',
    visibility: p.visibility,
    hasMatrix: false,
    data01: p.data01,
    data02: '',
    data03: '',
    url: text.url,
    title: text.title,
    fulltitle: text.fulltitle,
    description: text.description,
    content: text.content,
    set: false,
    brand: p.brand === null ? false : relation(c, `brands/${p.brand}`, p.brand),
    deliverydate: false,
    image: images[0] ? imageObject(c, images[0]) : false,
    images: images.length ? relation(c, `products/${p.id}/images`) : false,
    relations: relation(c, `products/${p.id}/relations`),
    metafields: relation(c, `products/${p.id}/metafields`),
    reviews: relation(c, `products/${p.id}/reviews`),
    type: false,
    attributes: relation(c, `products/${p.id}/attributes`),
    supplier: false,
    tags: relation(c, `tags?product=${p.id}`),
    categories: relation(c, `categories/products?product=${p.id}`),
    variants: relation(c, `variants?product=${p.id}`),
    movements: relation(c, `variants/movements?product=${p.id}`),
  };
}

export function renderVariant(c: RenderContext, v: VariantRow) {
  return {
    id: v.id,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    isDefault: v.isDefault,
    sortOrder: v.sortOrder,
    articleCode: v.articleCode,
    ean: v.ean,
    sku: v.sku,
    hs: null,
    unitPrice: 0,
    unitUnit: '',
    priceExcl: maybeString(c, v.priceExcl),
    priceIncl: maybeString(c, v.priceIncl),
    priceCost: maybeString(c, v.priceCost),
    oldPriceExcl: maybeString(c, v.oldPriceExcl),
    oldPriceIncl: maybeString(c, v.oldPriceIncl),
    stockTracking: v.stockTracking,
    stockLevel: maybeString(c, v.stockLevel),
    stockAlert: v.stockAlert,
    stockMinimum: v.stockMinimum,
    stockSold: v.stockSold,
    stockBuyMininum: 1,
    stockBuyMinimum: 1,
    stockBuyMaximum: 10000,
    weight: v.weight,
    weightValue: v.weightValue.toFixed(2),
    weightUnit: v.weightUnit,
    volume: 0,
    volumeValue: 0,
    volumeUnit: 'ml',
    colli: 1,
    sizeX: v.sizeX,
    sizeY: v.sizeY,
    sizeZ: v.sizeZ,
    sizeXValue: v.sizeXValue.toFixed(2),
    sizeYValue: v.sizeYValue.toFixed(2),
    sizeZValue: v.sizeZValue.toFixed(2),
    sizeUnit: v.sizeUnit,
    matrix: false,
    title: v.title[c.lang] ?? '',
    taxType: null,
    image: v.image ? { createdAt: v.updatedAt, updatedAt: v.updatedAt, extension: v.image.extension, size: v.image.size, title: v.image.title, thumb: `${c.base}/files/variants/${v.id}/thumb/${v.image.filename}`, src: `${c.base}/files/variants/${v.id}/${v.image.filename}` } : false,
    options: [],
    tax: relation(c, 'taxes/1', 1),
    product: relation(c, `products/${v.product}`, v.product),
    movements: relation(c, `variants/movements?variant=${v.id}`),
    metafields: relation(c, `variants/${v.id}/metafields`),
    additionalcost: false,
  };
}

export function renderBrand(c: RenderContext, b: BrandRow) {
  return { id: b.id, createdAt: b.createdAt, updatedAt: b.updatedAt, isVisible: b.isVisible, url: b.url, title: b.title, content: b.content, image: false };
}

export function renderOrderProduct(c: RenderContext, op: OrderProductRow) {
  return {
    id: op.id,
    supplierTitle: '',
    brandTitle: '',
    productTitle: op.productTitle,
    variantTitle: op.variantTitle,
    articleCode: op.articleCode,
    ean: op.ean,
    sku: op.sku,
    quantityOrdered: op.quantityOrdered,
    quantityInvoiced: 0,
    quantityShipped: 0,
    quantityRefunded: op.quantityRefunded,
    quantityReturned: op.quantityReturned,
    // Money comes back as strings on order lines.
    priceExcl: op.priceExcl.toFixed(2),
    priceIncl: op.priceIncl.toFixed(2),
    product: relation(c, `products/${op.product}`, op.product),
    variant: op.variant === null ? relation(c, 'variants', false) : relation(c, `variants/${op.variant}`, op.variant),
  };
}

export function renderOrder(c: RenderContext, o: OrderRow, embed = false) {
  const products = relation(c, `orders/${o.id}/products`);
  return {
    id: o.id,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    number: o.number,
    status: o.status,
    customStatusId: null,
    channel: o.channel,
    paymentStatus: o.paymentStatus,
    shipmentStatus: o.shipmentStatus,
    memo: o.memo,
    priceExcl: o.products.reduce((s, p) => s + p.priceExcl * p.quantityOrdered, 0).toFixed(2),
    priceIncl: o.products.reduce((s, p) => s + p.priceIncl * p.quantityOrdered, 0).toFixed(2),
    customer: false,
    invoices: relation(c, `invoices?order=${o.id}`),
    shipments: relation(c, `shipments?order=${o.id}`),
    events: relation(c, `orders/events?order=${o.id}`),
    products: embed ? { resource: { ...products.resource, embedded: o.products.map((p) => renderOrderProduct(c, p)) } } : products,
  };
}

export function renderWebhook(w: WebhookRow) {
  return { ...w };
}
