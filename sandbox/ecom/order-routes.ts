// Orders (read, status updates; they are placed by the storefront, here by the sandbox control),
// their products, and webhooks (the URL field is `address`).
import { filterRows, pageOf } from './listing';
import type { OrderRow, WebhookRow } from './model';
import { EcomError, type EcomRequest, oneOf, stringField, wrapped } from './request';
import { type Route, type RouteContext, noContent, ok, route } from './routes';
import { renderOrder, renderOrderProduct, renderWebhook } from './shapes';

export const ORDER_STATUSES = [
  'processing_awaiting_payment', 'processing_awaiting_shipment', 'processing_awaiting_pickup', 'processing_ready_for_pickup',
  'completed', 'completed_shipped', 'completed_picked_up', 'on_hold', 'cancelled',
] as const;
const PAYMENT_STATUSES = ['not_paid', 'partially_paid', 'paid', 'cancelled'] as const;
const SHIPMENT_STATUSES = ['not_shipped', 'partially_shipped', 'shipped', 'cancelled'] as const;
const ITEM_GROUPS = ['customers', 'orders', 'invoices', 'shipments', 'products', 'variants', 'quotes', 'reviews', 'returns', 'subscriptions'] as const;
const ITEM_ACTIONS = ['*', 'created', 'updated', 'deleted', 'paid', 'shipped'] as const;

function mustOrder(c: RouteContext, id: number): OrderRow {
  const o = c.store.orders.get(id);
  if (!o) throw new EcomError(404, 'Order not found');
  return o;
}

function orderRows(c: RouteContext, req: EcomRequest) {
  const number = req.query.get('number');
  return filterRows([...c.store.orders.values()], req.query, (o) => number === null || o.number === number);
}

function updateOrder(c: RouteContext, req: EcomRequest, [id]: number[]) {
  const o = mustOrder(c, id!);
  const input = wrapped(req, 'order');
  const wasPaid = o.paymentStatus === 'paid';
  o.status = oneOf(input, 'status', ORDER_STATUSES, o.status as (typeof ORDER_STATUSES)[number]);
  o.paymentStatus = oneOf(input, 'paymentStatus', PAYMENT_STATUSES, o.paymentStatus as (typeof PAYMENT_STATUSES)[number]);
  o.shipmentStatus = oneOf(input, 'shipmentStatus', SHIPMENT_STATUSES, o.shipmentStatus as (typeof SHIPMENT_STATUSES)[number]);
  o.memo = stringField(input, 'memo', o.memo);
  o.updatedAt = c.now();
  c.orderEvent('updated', o.id);
  if (!wasPaid && o.paymentStatus === 'paid') c.orderEvent('paid', o.id);
  return ok({ order: renderOrder(c, o) });
}

function mustWebhook(c: RouteContext, id: number): WebhookRow {
  const w = c.store.webhooks.get(id);
  if (!w) throw new EcomError(404, 'Webhook not found');
  return w;
}

function writeWebhook(c: RouteContext, req: EcomRequest, w: WebhookRow): WebhookRow {
  const input = wrapped(req, 'webhook');
  w.isActive = input.isActive === undefined ? w.isActive : input.isActive === true || input.isActive === 'true';
  w.itemGroup = oneOf(input, 'itemGroup', ITEM_GROUPS, w.itemGroup as (typeof ITEM_GROUPS)[number]);
  w.itemAction = oneOf(input, 'itemAction', ITEM_ACTIONS, w.itemAction as (typeof ITEM_ACTIONS)[number]);
  w.language = stringField(input, 'language', w.language);
  w.format = oneOf(input, 'format', ['json', 'xml'] as const, w.format as 'json' | 'xml');
  w.address = stringField(input, 'address', w.address);
  if (!/^https?:\/\//.test(w.address)) throw new EcomError(400, 'Invalid address');
  if (!c.languages.includes(w.language)) throw new EcomError(400, 'Invalid language');
  w.updatedAt = c.now();
  return w;
}

export const orderRoutes: Route[] = [
  route('GET', '/orders', (c, req) => ok({ orders: pageOf(orderRows(c, req), req.query).map((o) => renderOrder(c, o)) })),
  route('GET', '/orders/count', (c, req) => ok({ count: orderRows(c, req).length })),
  route('GET', '/orders/{id}', (c, _req, [id]) => ok({ order: renderOrder(c, mustOrder(c, id!)) })),
  route('PUT', '/orders/{id}', updateOrder),
  route('GET', '/orders/{id}/products', (c, _req, [id]) => ok({ orderProducts: mustOrder(c, id!).products.map((p) => renderOrderProduct(c, p)) })),
  route('GET', '/orders/{id}/products/count', (c, _req, [id]) => ok({ count: mustOrder(c, id!).products.length })),
  route('GET', '/webhooks', (c, req) => ok({ webhooks: pageOf(filterRows([...c.store.webhooks.values()], req.query), req.query).map(renderWebhook) })),
  route('GET', '/webhooks/count', (c) => ok({ count: c.store.webhooks.size })),
  route('GET', '/webhooks/{id}', (c, _req, [id]) => ok({ webhook: renderWebhook(mustWebhook(c, id!)) })),
  route('POST', '/webhooks', (c, req) => {
    const now = c.now();
    const blank: WebhookRow = { id: 0, createdAt: now, updatedAt: now, isActive: true, itemGroup: 'orders', itemAction: '*', language: req.lang, format: 'json', address: '' };
    const w = writeWebhook(c, req, blank);
    w.id = c.store.id('webhook');
    c.store.webhooks.set(w.id, w);
    return ok({ webhook: renderWebhook(w) }, 201);
  }),
  route('PUT', '/webhooks/{id}', (c, req, [id]) => ok({ webhook: renderWebhook(writeWebhook(c, req, mustWebhook(c, id!))) })),
  route('DELETE', '/webhooks/{id}', (c, _req, [id]) => {
    mustWebhook(c, id!);
    c.store.webhooks.delete(id!);
    return noContent();
  }),
];
