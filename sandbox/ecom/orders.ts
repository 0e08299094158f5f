// Orders as the storefront places them (the API has no POST /orders): lines copy the variant's
// titles and codes; a tracked variant's stockLevel goes down by the quantity.
import type { EcomStore, OrderRow } from './model';
import { EcomError } from './request';
import type { PlaceOrderInput } from './types';

export function placeOrder(store: EcomStore, input: PlaceOrderInput, now: string, lang: string): OrderRow {
  if (!input.lines.length) throw new EcomError(400, 'An order needs products');
  const id = store.id('order');
  const order: OrderRow = {
    id, number: `ORD${String(id % 100000).padStart(5, '0')}`, createdAt: now, updatedAt: now,
    status: input.status ?? 'processing_awaiting_payment', paymentStatus: input.paymentStatus ?? 'not_paid', shipmentStatus: 'not_shipped',
    channel: 'main', memo: '', products: [],
  };
  for (const line of input.lines) {
    const v = store.variants.get(line.variantId);
    if (!v) throw new EcomError(404, `Variant ${line.variantId} not found`);
    const p = store.products.get(v.product)!;
    order.products.push({
      id: store.id('orderProduct'), product: p.id, variant: v.id, productTitle: p.text[lang]?.title ?? '', variantTitle: v.title[lang] ?? '',
      sku: v.sku, ean: v.ean, articleCode: v.articleCode, quantityOrdered: line.quantity, quantityRefunded: 0, quantityReturned: 0, priceExcl: v.priceExcl, priceIncl: v.priceIncl,
    });
    if (v.stockTracking !== 'disabled') v.stockLevel -= line.quantity;
    v.stockSold += line.quantity;
  }
  store.orders.set(id, order);
  return order;
}

/**
 * A back-office edit of an order's quantities (the API has no write for order products): each named
 * order product gets its new quantity, the variant's stock moves by the difference, the order's
 * updatedAt moves on.
 */
export function editOrderQuantities(store: EcomStore, orderId: number, quantities: Record<number, number>, now: string): OrderRow {
  const order = store.orders.get(orderId);
  if (!order) throw new EcomError(404, 'Order not found');
  for (const [id, quantity] of Object.entries(quantities)) {
    const line = order.products.find((p) => p.id === Number(id));
    if (!line) throw new EcomError(404, `Order product ${id} not found`);
    if (!Number.isInteger(quantity) || quantity < 0) throw new EcomError(400, 'Invalid quantity');
    const v = line.variant === null ? undefined : store.variants.get(line.variant);
    if (v && v.stockTracking !== 'disabled') v.stockLevel -= quantity - line.quantityOrdered;
    line.quantityOrdered = quantity;
  }
  order.updatedAt = now;
  return order;
}
