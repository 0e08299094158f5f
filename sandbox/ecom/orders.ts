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
