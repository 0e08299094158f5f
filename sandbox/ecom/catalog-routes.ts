// Products (created with one default variant), variants, brands and product images.
import { filterRows, pageOf } from './listing';
import type { BrandRow, ProductRow, VariantRow } from './model';
import { EcomError, type EcomRequest, intField, numberField, oneOf, relationField, stringField, wrapped } from './request';
import { type Route, type RouteContext, noContent, ok, route } from './routes';
import { renderBrand, renderImage, renderProduct, renderVariant } from './shapes';

const VISIBILITY = ['visible', 'hidden', 'auto'] as const;
const STOCK_TRACKING = ['enabled', 'disabled', 'indicator'] as const;
const WEIGHT_UNITS: Record<string, number> = { g: 1, kg: 1000, oz: 28.349523125, lb: 453.59237 };
const SIZE_UNITS: Record<string, number> = { cm: 1, in: 2.54 };

function slug(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function mustProduct(c: RouteContext, id: number): ProductRow {
  const p = c.store.products.get(id);
  if (!p) throw new EcomError(404, 'Product not found');
  return p;
}

function mustVariant(c: RouteContext, id: number): VariantRow {
  const v = c.store.variants.get(id);
  if (!v) throw new EcomError(404, 'Variant not found');
  return v;
}

function mustBrand(c: RouteContext, id: number): BrandRow {
  const b = c.store.brands.get(id);
  if (!b) throw new EcomError(404, 'Brand not found');
  return b;
}

function brandRef(c: RouteContext, input: Record<string, unknown>, fallback: number | null): number | null {
  const id = relationField(input, 'brand', fallback);
  if (id !== null && !c.store.brands.has(id)) throw new EcomError(400, 'Invalid brand id');
  return id;
}

/** Content written in one language; on create it starts out the same in every language. */
function applyProductText(c: RouteContext, p: ProductRow, input: Record<string, unknown>, langs: string[]): void {
  for (const lang of langs) {
    const t = p.text[lang] ?? { title: '', fulltitle: '', description: '', content: '', url: '' };
    const title = stringField(input, 'title', t.title);
    p.text[lang] = {
      title,
      fulltitle: stringField(input, 'fulltitle', input.title !== undefined ? title : t.fulltitle),
      description: stringField(input, 'description', t.description),
      content: stringField(input, 'content', t.content),
      url: stringField(input, 'url', t.url || `${slug(title)}-${p.id}`),
    };
  }
}

function applyVariant(v: VariantRow, input: Record<string, unknown>, lang: string): void {
  if (input.title !== undefined) {
    const title = stringField(input, 'title', '').trim();
    if (!title) throw new EcomError(400, 'Invalid variant title');
    v.title[lang] = title;
  }
  v.sku = stringField(input, 'sku', v.sku);
  v.ean = stringField(input, 'ean', v.ean);
  v.articleCode = stringField(input, 'articleCode', v.articleCode);
  for (const k of ['priceExcl', 'priceIncl', 'priceCost', 'oldPriceExcl', 'oldPriceIncl'] as const) v[k] = numberField(input, k, v[k]);
  // Only one of the pair is usually sent; the shop derives the other from its tax (21% here).
  if (input.priceIncl !== undefined && input.priceExcl === undefined) v.priceExcl = Math.round((v.priceIncl / 1.21) * 100) / 100;
  if (input.priceExcl !== undefined && input.priceIncl === undefined) v.priceIncl = Math.round(v.priceExcl * 1.21 * 100) / 100;
  v.stockTracking = oneOf(input, 'stockTracking', STOCK_TRACKING, v.stockTracking);
  for (const k of ['stockLevel', 'stockAlert', 'stockMinimum'] as const) v[k] = intField(input, k, v[k]);
  applyWeight(v, input);
  applySize(v, input);
  applyVariantImage(v, input);
  v.sortOrder = intField(input, 'sortOrder', v.sortOrder);
}

/** The variant's own image: `{attachment, filename}` sets it, false or null removes it. */
function applyVariantImage(v: VariantRow, input: Record<string, unknown>): void {
  const image = input.image;
  if (image === undefined) return;
  if (image === false || image === null) {
    v.image = null;
    return;
  }
  if (typeof image !== 'object' || Array.isArray(image)) throw new EcomError(400, 'Invalid image');
  v.image = { ...attachmentOf(image as Record<string, unknown>), title: stringField(image as Record<string, unknown>, 'title', '') };
}

/** `weight` is whole grams; `weightValue` + `weightUnit` carry decimals or another unit. */
function applyWeight(v: VariantRow, input: Record<string, unknown>): void {
  if (input.weightValue !== undefined || input.weightUnit !== undefined) {
    const unit = stringField(input, 'weightUnit', v.weightUnit) || 'g';
    if (!(unit in WEIGHT_UNITS)) throw new EcomError(400, 'Invalid weightUnit');
    v.weightUnit = unit;
    v.weightValue = numberField(input, 'weightValue', v.weightValue);
    v.weight = Math.round(v.weightValue * WEIGHT_UNITS[unit]!);
  } else if (input.weight !== undefined) {
    v.weight = intField(input, 'weight', v.weight);
    v.weightValue = v.weight;
    v.weightUnit = 'g';
  }
}

/** sizeX/Y/Z are whole cm (width, height, length); size*Value + sizeUnit carry decimals or inches. */
function applySize(v: VariantRow, input: Record<string, unknown>): void {
  const unit = stringField(input, 'sizeUnit', v.sizeUnit) || 'cm';
  if (!(unit in SIZE_UNITS)) throw new EcomError(400, 'Invalid sizeUnit');
  v.sizeUnit = unit;
  for (const axis of ['X', 'Y', 'Z'] as const) {
    const valueKey = `size${axis}Value` as const;
    const intKey = `size${axis}` as const;
    if (input[valueKey] !== undefined) {
      v[valueKey] = numberField(input, valueKey, v[valueKey]);
      v[intKey] = Math.round(v[valueKey] * SIZE_UNITS[unit]!);
    } else if (input[intKey] !== undefined) {
      v[intKey] = intField(input, intKey, v[intKey]);
      v[valueKey] = v[intKey];
    }
  }
}

function newVariant(c: RouteContext, product: number, sortOrder: number, isDefault: boolean): VariantRow {
  const now = c.now();
  return {
    id: c.store.id('variant'), product, createdAt: now, updatedAt: now, isDefault, sortOrder, title: {},
    image: null, sku: '', ean: '', articleCode: '', priceExcl: 0, priceIncl: 0, priceCost: 0, oldPriceExcl: 0, oldPriceIncl: 0,
    stockTracking: 'disabled', stockLevel: 0, stockAlert: 0, stockMinimum: 0, stockSold: 0,
    weight: 0, weightValue: 0, weightUnit: 'g', sizeX: 0, sizeY: 0, sizeZ: 0, sizeXValue: 0, sizeYValue: 0, sizeZValue: 0, sizeUnit: 'cm',
  };
}

function createProduct(c: RouteContext, req: EcomRequest) {
  const input = wrapped(req, 'product');
  const now = c.now();
  const p: ProductRow = { id: c.store.id('product'), createdAt: now, updatedAt: now, visibility: oneOf(input, 'visibility', VISIBILITY, 'hidden'), brand: brandRef(c, input, null), data01: stringField(input, 'data01', ''), text: {} };
  applyProductText(c, p, input, c.languages);
  c.store.products.set(p.id, p);
  // Every product has at least one variant: the shop creates the default one.
  const v = newVariant(c, p.id, 1, true);
  for (const lang of c.languages) v.title[lang] = 'Default';
  c.store.variants.set(v.id, v);
  return ok({ product: renderProduct(c, p) }, 201);
}

function updateProduct(c: RouteContext, req: EcomRequest, [id]: number[]) {
  const p = mustProduct(c, id!);
  const input = wrapped(req, 'product');
  p.visibility = oneOf(input, 'visibility', VISIBILITY, p.visibility);
  p.brand = brandRef(c, input, p.brand);
  p.data01 = stringField(input, 'data01', p.data01);
  applyProductText(c, p, input, [req.lang]);
  p.updatedAt = c.now();
  return ok({ product: renderProduct(c, p) });
}

function deleteProduct(c: RouteContext, _req: EcomRequest, [id]: number[]) {
  mustProduct(c, id!);
  c.store.products.delete(id!);
  for (const v of c.store.variantsOf(id!)) c.store.variants.delete(v.id);
  for (const i of c.store.imagesOf(id!)) c.store.images.delete(i.id);
  return noContent();
}

function productRows(c: RouteContext, req: EcomRequest) {
  const brand = req.query.get('brand');
  const visible = req.query.get('isVisible');
  return filterRows([...c.store.products.values()], req.query, (p) => (brand === null || String(p.brand) === brand) && (visible === null || String(p.visibility !== 'hidden') === visible));
}

function createVariant(c: RouteContext, req: EcomRequest) {
  const input = wrapped(req, 'variant');
  const productId = input.product;
  if (typeof productId !== 'number' || !Number.isInteger(productId)) throw new EcomError(400, 'Invalid product id');
  mustProduct(c, productId);
  if (typeof input.title !== 'string' || !input.title.trim()) throw new EcomError(400, 'Invalid variant title');
  const siblings = c.store.variantsOf(productId);
  const v = newVariant(c, productId, (siblings[siblings.length - 1]?.sortOrder ?? 0) + 1, siblings.length === 0);
  for (const lang of c.languages) v.title[lang] = input.title.trim();
  applyVariant(v, input, req.lang);
  c.store.variants.set(v.id, v);
  return ok({ variant: renderVariant(c, v) }, 201);
}

function updateVariant(c: RouteContext, req: EcomRequest, [id]: number[]) {
  const v = mustVariant(c, id!);
  const input = wrapped(req, 'variant');
  applyVariant(v, input, req.lang);
  v.updatedAt = c.now();
  return ok({ variant: renderVariant(c, v) });
}

function deleteVariant(c: RouteContext, _req: EcomRequest, [id]: number[]) {
  const v = mustVariant(c, id!);
  const siblings = c.store.variantsOf(v.product);
  if (siblings.length === 1) throw new EcomError(400, 'A product needs at least one variant');
  c.store.variants.delete(v.id);
  if (v.isDefault) siblings.find((s) => s.id !== v.id)!.isDefault = true;
  return noContent();
}

function variantRows(c: RouteContext, req: EcomRequest) {
  const q = req.query;
  const match = (key: string, value: string | number) => q.get(key) === null || q.get(key) === String(value);
  return filterRows([...c.store.variants.values()], q, (v) => match('product', v.product) && match('sku', v.sku) && match('ean', v.ean) && match('articleCode', v.articleCode));
}

function createBrand(c: RouteContext, req: EcomRequest) {
  const input = wrapped(req, 'brand');
  const title = stringField(input, 'title', '').trim();
  if (!title) throw new EcomError(400, 'Invalid brand title');
  const now = c.now();
  const b: BrandRow = { id: c.store.id('brand'), createdAt: now, updatedAt: now, isVisible: input.isVisible !== false, title, url: slug(title), content: stringField(input, 'content', '') };
  c.store.brands.set(b.id, b);
  return ok({ brand: renderBrand(c, b) }, 201);
}

function updateBrand(c: RouteContext, req: EcomRequest, [id]: number[]) {
  const b = mustBrand(c, id!);
  const input = wrapped(req, 'brand');
  b.title = stringField(input, 'title', b.title);
  b.content = stringField(input, 'content', b.content);
  b.updatedAt = c.now();
  return ok({ brand: renderBrand(c, b) });
}

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp'];

/** An uploaded file: base64 `attachment` and an image `filename`. */
function attachmentOf(input: Record<string, unknown>): { size: number; filename: string; extension: string } {
  const attachment = stringField(input, 'attachment', '');
  const bytes = /^[A-Za-z0-9+/=\s]+$/.test(attachment) ? Buffer.from(attachment, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0) throw new EcomError(400, 'Invalid attachment: expected base64 file content');
  const filename = stringField(input, 'filename', '');
  const extension = filename.split('.').pop()?.toLowerCase() ?? '';
  if (!filename.includes('.') || !IMAGE_EXTENSIONS.includes(extension)) throw new EcomError(400, 'Invalid filename: expected an image file name');
  return { size: bytes.length, filename, extension };
}

function createImage(c: RouteContext, req: EcomRequest, [productId]: number[]) {
  mustProduct(c, productId!);
  const input = wrapped(req, 'productImage');
  const file = attachmentOf(input);
  const existing = c.store.imagesOf(productId!);
  const now = c.now();
  const img = { id: c.store.id('image'), product: productId!, createdAt: now, updatedAt: now, sortOrder: (existing[existing.length - 1]?.sortOrder ?? 0) + 1, title: stringField(input, 'title', ''), ...file };
  c.store.images.set(img.id, img);
  return ok({ productImage: renderImage(c, img) }, 201);
}

function deleteImage(c: RouteContext, _req: EcomRequest, [productId, imageId]: number[]) {
  const img = c.store.images.get(imageId!);
  if (!img || img.product !== productId) throw new EcomError(404, 'Image not found');
  c.store.images.delete(img.id);
  return noContent();
}

export const catalogRoutes: Route[] = [
  route('GET', '/products', (c, req) => ok({ products: pageOf(productRows(c, req), req.query).map((p) => renderProduct(c, p)) })),
  route('GET', '/products/count', (c, req) => ok({ count: productRows(c, req).length })),
  route('GET', '/products/{id}', (c, _req, [id]) => ok({ product: renderProduct(c, mustProduct(c, id!)) })),
  route('POST', '/products', createProduct),
  route('PUT', '/products/{id}', updateProduct),
  route('DELETE', '/products/{id}', deleteProduct),
  route('GET', '/products/{id}/images', (c, _req, [id]) => ok({ productImages: (mustProduct(c, id!), c.store.imagesOf(id!)).map((i) => renderImage(c, i)) })),
  route('GET', '/products/{id}/images/count', (c, _req, [id]) => ok({ count: (mustProduct(c, id!), c.store.imagesOf(id!).length) })),
  route('POST', '/products/{id}/images', createImage),
  route('DELETE', '/products/{id}/images/{id}', deleteImage),
  route('GET', '/variants', (c, req) => ok({ variants: pageOf(variantRows(c, req), req.query).map((v) => renderVariant(c, v)) })),
  route('GET', '/variants/count', (c, req) => ok({ count: variantRows(c, req).length })),
  route('GET', '/variants/{id}', (c, _req, [id]) => ok({ variant: renderVariant(c, mustVariant(c, id!)) })),
  route('POST', '/variants', createVariant),
  route('PUT', '/variants/{id}', updateVariant),
  route('DELETE', '/variants/{id}', deleteVariant),
  route('GET', '/brands', (c, req) => ok({ brands: pageOf(filterRows([...c.store.brands.values()], req.query), req.query).map((b) => renderBrand(c, b)) })),
  route('GET', '/brands/count', (c, req) => ok({ count: filterRows([...c.store.brands.values()], req.query).length })),
  route('GET', '/brands/{id}', (c, _req, [id]) => ok({ brand: renderBrand(c, mustBrand(c, id!)) })),
  route('POST', '/brands', createBrand),
  route('PUT', '/brands/{id}', updateBrand),
  route('DELETE', '/brands/{id}', (c, _req, [id]) => {
    mustBrand(c, id!);
    c.store.brands.delete(id!);
    for (const p of c.store.products.values()) if (p.brand === id) p.brand = null;
    return noContent();
  }),
];
