// /orders/{order_id}/refunds and /orders/{order_id}/refunds/{id} (WC_REST_Order_Refunds_Controller, v3).
import { absint } from './coerce';
import { WpError } from './errors';
import { formatMoney } from './money';
import type { OrderRecord, Refund } from './order-model';
import { canCreate, canList, canView } from './permissions';
import { type ApiResult, CREATE, type HandlerContext, READ, type Route, wcRoute } from './router';
import { formatWpDate } from './dates';
import { restUrl, WC_NAMESPACE } from './site';

const orderId = (ctx: HandlerContext): number => absint(ctx.params.order_id);
const orderExists = (ctx: HandlerContext): boolean => ctx.store.orderBook.get(orderId(ctx)) !== undefined;

function renderRefund(ctx: HandlerContext, o: OrderRecord, r: Refund): Record<string, unknown> {
  const money = (n: number): string => formatMoney(n, 2);
  const tz = ctx.site.tzOffsetMinutes;
  const base = `${WC_NAMESPACE}/orders/${o.id}/refunds`;
  return {
    id: r.id,
    date_created: formatWpDate(r.created, tz),
    date_created_gmt: formatWpDate(r.created),
    amount: money(r.amount),
    reason: r.reason,
    refunded_by: 1,
    refunded_payment: r.refundedPayment ?? false,
    meta_data: [],
    line_items: (r.lines ?? []).map((l) => {
      const item = o.lines.find((x) => x.id === l.refundedItemId);
      const product = item ? ctx.store.get(item.variationId || item.productId) : undefined;
      return {
        id: l.id, name: item?.name ?? '', product_id: item?.productId ?? 0, variation_id: item?.variationId ?? 0, quantity: l.quantity,
        tax_class: item?.taxClass ?? '', subtotal: money(l.total), subtotal_tax: money(0), total: money(l.total), total_tax: money(0), taxes: [],
        meta_data: [{ id: l.metaId, key: '_refunded_item_id', value: String(l.refundedItemId), display_key: '_refunded_item_id', display_value: String(l.refundedItemId) }],
        sku: product ? product.sku : null, price: l.quantity ? Math.abs(l.total / l.quantity) : 0, image: { id: '', src: '' }, parent_name: null,
      };
    }),
    shipping_lines: [],
    tax_lines: [],
    fee_lines: [],
    _links: {
      self: [{ href: restUrl(ctx.site, `${base}/${r.id}`) }],
      collection: [{ href: restUrl(ctx.site, base) }],
      up: [{ href: restUrl(ctx.site, `${WC_NAMESPACE}/orders/${o.id}`) }],
    },
  };
}

function requireOrder(ctx: HandlerContext): OrderRecord {
  const o = ctx.store.orderBook.get(orderId(ctx));
  if (!o) throw new WpError('woocommerce_rest_invalid_order_id', 'Invalid order ID.', 404);
  return o;
}

function listRefunds(ctx: HandlerContext): ApiResult {
  const o = requireOrder(ctx);
  return { status: 200, body: o.refunds.map((r) => renderRefund(ctx, o, r)), headers: { 'X-WP-Total': String(o.refunds.length), 'X-WP-TotalPages': '1' } };
}

function getRefund(ctx: HandlerContext): ApiResult {
  const o = requireOrder(ctx);
  const r = o.refunds.find((x) => x.id === absint(ctx.params.id));
  if (!r) throw new WpError('woocommerce_rest_invalid_id', 'Invalid resource ID.', 404);
  return { status: 200, body: renderRefund(ctx, o, r) };
}

function createRefund(ctx: HandlerContext): ApiResult {
  const { order, refund } = ctx.orders.refund(ctx.env, orderId(ctx), ctx.params);
  return {
    status: 201,
    body: renderRefund(ctx, order, refund),
    // WooCommerce 8.9 builds this header from the route pattern, as recorded from the real store.
    headers: { Location: restUrl(ctx.site, `${WC_NAMESPACE}/orders/(?P<order_id>[\\d]+)/refunds/${refund.id}`) },
  };
}

export const orderRefundRoutes: Route[] = [
  wcRoute('/orders/{order_id}/refunds', [
    { methods: READ, permission: canList, handle: listRefunds },
    { methods: CREATE, permission: canCreate, handle: createRefund, objects: () => 1 },
  ]),
  wcRoute('/orders/{order_id}/refunds/{id}', [{ methods: READ, permission: canView(orderExists), handle: getRefund }]),
];
