// The /orders representation (WC_REST_Orders_Controller::prepare_object_for_response): key order,
// money strings with `dp` decimals, line item `price` as a number, the product's current SKU (null
// once the product is gone) and the dependent *_gmt dates at the end, as recorded.
import { formatNullableDate, formatWpDate } from './dates';
import { formatMoney } from './money';
import type { FeeItem, ItemMeta, LineItem, OrderRecord, ShippingItem } from './order-model';
import { wcClean } from './sanitize';
import { type Site, restUrl, WC_NAMESPACE } from './site';
import type { Store } from './store';

export interface OrderShapeContext {
  store: Store;
  site: Site;
  /** Decimals of money strings (the `dp` param, default 2). */
  dp: number;
}

const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', RON: 'lei', CAD: '$', AUD: '$', CHF: 'CHF', JPY: '¥', PLN: 'zł', HUF: 'Ft', CZK: 'Kč', SEK: 'kr', NOK: 'kr', DKK: 'kr', BGN: 'лв.' };

export const currencySymbol = (currency: string): string => SYMBOLS[currency] ?? currency;

/** needs_processing(): any line whose product still exists and is not both virtual and downloadable. */
export function needsProcessing(store: Store, o: OrderRecord): boolean {
  return o.lines.some((l) => {
    const p = store.get(l.variationId || l.productId);
    return p !== undefined && !(p.virtual && p.downloadable);
  });
}

export function needsPayment(o: OrderRecord): boolean {
  return (o.status === 'pending' || o.status === 'failed') && o.total > 0;
}

export function isEditable(o: OrderRecord): boolean {
  return ['pending', 'on-hold', 'auto-draft', 'checkout-draft'].includes(o.status);
}

function itemMeta(meta: ItemMeta[]): Array<Record<string, unknown>> {
  return meta.map((m) => {
    const hidden = m.key.startsWith('_');
    const display = hidden || typeof m.value !== 'string' ? m.value : wcClean(m.value);
    return { id: m.id, key: m.key, value: m.value, display_key: m.displayKey ?? m.key, display_value: display };
  });
}

/** The product's current SKU (a variation without one shows its parent's); null once deleted. */
function lineProduct(ctx: OrderShapeContext, l: LineItem): Record<string, unknown> {
  const product = ctx.store.get(l.variationId || l.productId);
  if (!product) return { sku: null, image: { id: 0, src: '' }, parent_name: null };
  const isVariation = product.type === 'variation';
  const parent = isVariation ? ctx.store.get(product.parentId) : undefined;
  const sku = isVariation && product.sku === '' ? (parent?.sku ?? '') : product.sku;
  const imageId = product.imageId || (isVariation ? (parent?.imageId ?? 0) : 0);
  const media = imageId ? ctx.store.media.get(imageId) : undefined;
  // get_image_id(): the simple product's meta is '' when unset, a variation falls back to int 0.
  const image = media ? { id: imageId, src: `${ctx.site.home}/${media.path}` } : { id: isVariation ? 0 : '', src: '' };
  return { sku, image, parent_name: isVariation ? (parent?.name ?? '') : null };
}

function renderLine(ctx: OrderShapeContext, l: LineItem): Record<string, unknown> {
  const { sku, image, parent_name } = lineProduct(ctx, l);
  const money = (n: number): string => formatMoney(n, ctx.dp);
  return {
    id: l.id,
    name: l.name,
    product_id: l.productId,
    variation_id: l.variationId,
    quantity: l.quantity,
    tax_class: l.taxClass,
    subtotal: money(l.subtotal),
    subtotal_tax: money(0),
    total: money(l.total),
    total_tax: money(0),
    taxes: [],
    meta_data: itemMeta(l.meta),
    sku,
    price: l.quantity ? l.total / l.quantity : 0,
    image,
    parent_name,
  };
}

function renderShipping(ctx: OrderShapeContext, s: ShippingItem): Record<string, unknown> {
  return {
    id: s.id,
    method_title: s.methodTitle,
    method_id: s.methodId,
    instance_id: s.instanceId,
    total: formatMoney(s.total, ctx.dp),
    total_tax: formatMoney(0, ctx.dp),
    taxes: [],
    meta_data: itemMeta(s.meta),
  };
}

function renderFee(ctx: OrderShapeContext, f: FeeItem): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    tax_class: f.taxClass,
    tax_status: f.taxStatus,
    amount: '',
    total: formatMoney(f.total, ctx.dp),
    total_tax: formatMoney(0, ctx.dp),
    taxes: [],
    meta_data: itemMeta(f.meta),
  };
}

function links(ctx: OrderShapeContext, o: OrderRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    self: [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/orders/${o.id}`) }],
    collection: [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/orders`) }],
  };
  if (o.customerId !== 0) out.customer = [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/customers/${o.customerId}`) }];
  if (o.parentId !== 0) out.up = [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/orders/${o.parentId}`) }];
  return out;
}

export function renderOrder(ctx: OrderShapeContext, o: OrderRecord): Record<string, unknown> {
  const tz = ctx.site.tzOffsetMinutes;
  const money = (n: number): string => formatMoney(n, ctx.dp);
  return {
    id: o.id,
    parent_id: o.parentId,
    status: o.status,
    currency: o.currency,
    version: o.version,
    prices_include_tax: o.pricesIncludeTax,
    date_created: formatWpDate(o.created, tz),
    date_modified: formatWpDate(o.modified, tz),
    discount_total: money(o.discountTotal),
    discount_tax: money(0),
    shipping_total: money(o.shippingTotal),
    shipping_tax: money(0),
    cart_tax: money(0),
    total: money(o.total),
    total_tax: money(0),
    customer_id: o.customerId,
    order_key: o.orderKey,
    billing: { ...o.billing },
    shipping: { ...o.shipping },
    payment_method: o.paymentMethod,
    payment_method_title: o.paymentMethodTitle,
    transaction_id: o.transactionId,
    customer_ip_address: o.customerIp,
    customer_user_agent: o.customerUserAgent,
    created_via: o.createdVia,
    customer_note: o.customerNote,
    date_completed: formatNullableDate(o.completed, tz),
    date_paid: formatNullableDate(o.paid, tz),
    cart_hash: o.cartHash,
    number: String(o.id),
    meta_data: o.meta.map((m) => ({ id: m.id, key: m.key, value: m.value })),
    line_items: o.lines.map((l) => renderLine(ctx, l)),
    tax_lines: [],
    shipping_lines: o.shippingLines.map((s) => renderShipping(ctx, s)),
    fee_lines: o.feeLines.map((f) => renderFee(ctx, f)),
    coupon_lines: [],
    refunds: o.refunds.map((r) => ({ id: r.id, reason: r.reason, total: `-${money(r.amount)}` })),
    payment_url: `${ctx.site.home}/checkout/order-pay/${o.id}/?pay_for_order=true&key=${o.orderKey}`,
    is_editable: isEditable(o),
    needs_payment: needsPayment(o),
    needs_processing: needsProcessing(ctx.store, o),
    date_created_gmt: formatWpDate(o.created),
    date_modified_gmt: formatWpDate(o.modified),
    date_completed_gmt: formatNullableDate(o.completed),
    date_paid_gmt: formatNullableDate(o.paid),
    currency_symbol: currencySymbol(o.currency),
    _links: links(ctx, o),
  };
}
