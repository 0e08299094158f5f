// The /products/{id}/variations representation (WC_REST_Product_Variations_Controller).
import type { ProductRecord } from './model';
import { activePrice, isOnSale } from './pricing';
import {
  type ShapeContext,
  dateFields,
  formattedVariation,
  imageObject,
  inherited,
  metaData,
  saleDateFields,
  variationAttributeList,
  variationPermalink,
} from './shape-common';
import { restUrl, WC_NAMESPACE } from './site';
import { effectiveStock } from './stock';
import { formatShortDescription } from './text-format';

function image(ctx: ShapeContext, r: ProductRecord): Record<string, unknown> | null {
  // In "view" a variation without its own image shows the parent's.
  const id = r.imageId || (ctx.context === 'view' ? (ctx.store.get(r.parentId)?.imageId ?? 0) : 0);
  const item = id ? ctx.store.media.get(id) : undefined;
  return item ? imageObject(item, ctx.site) : null;
}

export function renderVariation(ctx: ShapeContext, r: ProductRecord): Record<string, unknown> {
  const { store, site, now } = ctx;
  const price = activePrice(r, now);
  const stock = effectiveStock(store, r);
  const parent = store.get(r.parentId);
  const base = restUrl(site, `${WC_NAMESPACE}/products/${r.parentId}`);
  return {
    id: r.id,
    ...dateFields(r, site),
    description: formatShortDescription(r.description),
    permalink: variationPermalink(ctx, r),
    sku: r.sku,
    price,
    regular_price: r.regularPrice,
    sale_price: r.salePrice,
    ...saleDateFields(r, site),
    on_sale: isOnSale(r, now),
    status: r.status,
    purchasable: r.status === 'publish' && price !== '',
    virtual: r.virtual,
    downloadable: r.downloadable,
    downloads: r.downloads.map((d) => ({ ...d })),
    download_limit: r.downloadLimit,
    download_expiry: r.downloadExpiry,
    tax_status: r.taxStatus,
    tax_class: ctx.context === 'view' && r.taxClass === 'parent' ? (parent?.taxClass ?? '') : r.taxClass,
    manage_stock: stock.manageStock,
    stock_quantity: stock.stockQuantity,
    stock_status: stock.stockStatus,
    backorders: stock.backorders,
    backorders_allowed: stock.backorders !== 'no',
    backordered: stock.stockStatus === 'onbackorder' || (stock.manageStock !== false && stock.backorders !== 'no' && (stock.stockQuantity ?? 0) < 0),
    low_stock_amount: r.lowStockAmount,
    weight: inherited(store, r, 'weight'),
    dimensions: { length: inherited(store, r, 'length'), width: inherited(store, r, 'width'), height: inherited(store, r, 'height') },
    shipping_class: '',
    shipping_class_id: 0,
    image: image(ctx, r),
    attributes: variationAttributeList(store, r),
    menu_order: r.menuOrder,
    meta_data: metaData(r.meta),
    name: formattedVariation(r),
    parent_id: r.parentId,
    _links: {
      self: [{ href: `${base}/variations/${r.id}` }],
      collection: [{ href: `${base}/variations` }],
      up: [{ href: base }],
    },
  };
}
