// The /products representation (WC_REST_Products_Controller::prepare_object_for_response), also
// used for variations found through /products (type "variation", parent_id set).
import type { ProductRecord } from './model';
import { priceHtml } from './price-html';
import { displayPrice, isOnSale, variablePrices } from './pricing';
import {
  type ShapeContext,
  attributeKey,
  dateFields,
  imageObject,
  inherited,
  metaData,
  productPermalink,
  saleDateFields,
  variationAttributeList,
  variationPermalink,
} from './shape-common';
import { sanitizeTitle } from './sanitize';
import { restUrl, WC_NAMESPACE } from './site';
import { effectiveStock } from './stock';
import { formatShortDescription, wpautop } from './text-format';

function productAttributes(ctx: ShapeContext, r: ProductRecord): Array<Record<string, unknown>> {
  return r.attributes.map((a) => ({
    id: a.id,
    name: a.id > 0 ? ctx.store.taxonomy.attribute(a.id).name : a.name,
    slug: a.id > 0 ? ctx.store.taxonomy.attribute(a.id).slug : a.name,
    position: a.position,
    visible: a.visible,
    variation: a.variation,
    options: [...a.options],
  }));
}

function defaultAttributes(ctx: ShapeContext, r: ProductRecord): Array<Record<string, unknown>> {
  return r.defaultAttributes.map((d) => {
    const global = d.key.startsWith('pa_') ? ctx.store.taxonomy.attributeBySlug(d.key) : undefined;
    const own = r.attributes.find((a) => attributeKey(ctx.store, a.id, a.name) === d.key);
    return { id: global?.id ?? 0, name: global?.name ?? own?.name ?? d.key, option: d.option };
  });
}

function images(ctx: ShapeContext, r: ProductRecord): Array<Record<string, unknown>> {
  const ids = r.type === 'variation' ? [r.imageId] : [r.imageId, ...r.galleryIds];
  const out: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    const item = id ? ctx.store.media.get(id) : undefined;
    if (item) out.push(imageObject(item, ctx.site));
  }
  return out;
}

function terms(ctx: ShapeContext, ids: number[], kind: 'category' | 'tag'): Array<Record<string, unknown>> {
  return ids.map((id) => {
    const t = kind === 'category' ? ctx.store.taxonomy.category(id) : ctx.store.taxonomy.tag(id);
    return { id: t.id, name: t.name, slug: t.slug };
  });
}

function links(ctx: ShapeContext, r: ProductRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    self: [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/products/${r.id}`) }],
    collection: [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/products`) }],
  };
  if (r.parentId > 0) out.up = [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/products/${r.parentId}`) }];
  return out;
}

function taxClass(ctx: ShapeContext, r: ProductRecord): string {
  if (r.type !== 'variation' || ctx.context === 'edit' || r.taxClass !== 'parent') return r.taxClass;
  return ctx.store.get(r.parentId)?.taxClass ?? '';
}

export function renderProduct(ctx: ShapeContext, r: ProductRecord): Record<string, unknown> {
  const { store, site, context, now } = ctx;
  const view = context === 'view';
  const isVar = r.type === 'variation';
  const variable = r.type === 'variable';
  const price = displayPrice(store, r, now);
  const stock = effectiveStock(store, r);
  const onSale = variable ? variablePrices(store, r, now).onSale : r.type === 'grouped' ? false : isOnSale(r, now);
  const purchasable = price !== '' && (!isVar || r.status === 'publish');
  const shippingRequired = !r.virtual;
  const data: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    slug: r.slug,
    permalink: isVar ? variationPermalink(ctx, r) : productPermalink(site, r),
    ...dateFields(r, site),
    type: r.type,
    status: r.status,
    featured: r.featured,
    catalog_visibility: r.catalogVisibility,
    description: view ? wpautop(r.description) : r.description,
    short_description: view ? formatShortDescription(r.shortDescription) : r.shortDescription,
    sku: r.sku,
    price,
    regular_price: variable ? '' : r.regularPrice,
    sale_price: variable ? '' : r.salePrice,
    ...saleDateFields(r, site),
    on_sale: onSale,
    purchasable,
    // A variation listed through /products reports total_sales as the raw meta string.
    total_sales: isVar ? String(r.totalSales) : r.totalSales,
    virtual: r.virtual,
    downloadable: r.downloadable,
    downloads: r.downloads.map((d) => ({ ...d })),
    download_limit: r.downloadLimit,
    download_expiry: r.downloadExpiry,
    external_url: r.externalUrl,
    button_text: r.buttonText,
    tax_status: r.taxStatus,
    tax_class: taxClass(ctx, r),
    manage_stock: stock.manageStock,
    stock_quantity: stock.stockQuantity,
    backorders: stock.backorders,
    backorders_allowed: stock.backorders !== 'no',
    backordered: stock.stockStatus === 'onbackorder' || (stock.manageStock !== false && stock.backorders !== 'no' && (stock.stockQuantity ?? 0) < 0),
    low_stock_amount: r.lowStockAmount,
    sold_individually: r.soldIndividually,
    weight: inherited(store, r, 'weight'),
    dimensions: { length: inherited(store, r, 'length'), width: inherited(store, r, 'width'), height: inherited(store, r, 'height') },
    shipping_required: shippingRequired,
    shipping_taxable: shippingRequired && (r.taxStatus === 'taxable' || r.taxStatus === 'shipping'),
    shipping_class: '',
    shipping_class_id: 0,
    reviews_allowed: r.reviewsAllowed,
    average_rating: view ? '0.00' : '0',
    rating_count: 0,
    upsell_ids: [...r.upsellIds],
    cross_sell_ids: [...r.crossSellIds],
    parent_id: r.parentId,
    purchase_note: view ? wpautop(r.purchaseNote) : r.purchaseNote,
    categories: isVar ? [] : terms(ctx, r.categoryIds, 'category'),
    tags: terms(ctx, r.tagIds, 'tag'),
    images: images(ctx, r),
    attributes: isVar ? variationAttributeList(store, r) : productAttributes(ctx, r),
    default_attributes: defaultAttributes(ctx, r),
    variations: variable ? r.children.filter((id) => store.get(id)?.status !== 'trash') : [],
    grouped_products: [...r.groupedIds],
    menu_order: r.menuOrder,
    price_html: priceHtml(store, r, now),
    related_ids: [],
    meta_data: metaData(r.meta),
    stock_status: stock.stockStatus,
    has_options: variable,
    post_password: r.postPassword,
  };
  if (!view) {
    data.permalink_template = `${site.home}/product/%pagename%/`;
    data.generated_slug = store.uniqueSlug(sanitizeTitle(r.name), r.id);
  }
  data._links = links(ctx, r);
  return data;
}
