/**
 * How a Lightspeed eCom order moves POS stock (M-C7): the order as the POS applies it
 * (domain/remote-order.ts), so eCom orders go through the same per-order difference arithmetic,
 * locks and outcome records as WooCommerce orders (activities/pos/order-apply.ts).
 *
 * Which statuses hold stock out (apis.md §2.8, §5): every status but `cancelled`. eCom has no
 * per-line record of what it took from its own stock (WooCommerce's `_reduced_stock`), and when
 * eCom itself lowers `stockLevel` (at placement or at payment) is unconfirmed. What is certain is
 * that from placement on the units are promised to a customer: an unpaid order
 * (`processing_awaiting_payment`), one on hold, or one in a pickup flow still has them set aside,
 * and if the POS did not deduct them the next stock push would offer them for sale again. So an
 * order deducts `quantityOrdered` per line from placement, whatever its payment or shipment
 * status, and `cancelled` (the one status that ends the sale, apis.md §2.8 "Cancel") gives all of
 * it back. Refunds (credits) and returns are not read: whether they put stock back depends on an
 * `updateStock` / `isStockAdjusted` flag that cannot be read back (unconfirmed), so, like a
 * WooCommerce refund without restock, they move nothing; a restock is done in the POS.
 */
import type { EcomOrder, EcomOrderProduct } from '../activities/ecom/types';
import type { RemoteOrder, RemoteOrderLine } from './remote-order';

/** The order fields this mapping reads. */
export type EcomOrderLike = Pick<EcomOrder, 'id' | 'status' | 'createdAt' | 'updatedAt'>;

/** The order product fields this mapping reads. */
export type EcomOrderProductLike = Pick<
  EcomOrderProduct, 'id' | 'productId' | 'variantId' | 'productTitle' | 'variantTitle' | 'sku' | 'articleCode' | 'quantityOrdered' | 'priceIncl'
>;

/** The status that gives an order's stock back; every other status holds it out. */
export const ECOM_RESTOCKING_STATUS = 'cancelled';

export function ecomOrderHoldsStock(status: string): boolean {
  return status !== ECOM_RESTOCKING_STATUS;
}

/** An eCom date ('2026-11-29T21:00:00+02:00') as the GMT 'YYYY-MM-DDTHH:MM:SS' RemoteOrder keeps; '' when unreadable. */
export function ecomGmt(date: string): string {
  const ms = Date.parse(date);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 19) : '';
}

export function toRemoteOrderLine(p: EcomOrderProductLike, holds: boolean): RemoteOrderLine {
  const quantity = Math.max(0, Math.trunc(p.quantityOrdered));
  return {
    lineId: p.id,
    name: p.variantTitle && p.variantTitle !== 'Default' ? `${p.productTitle} - ${p.variantTitle}` : p.productTitle,
    // The code copied onto the line at order time: the SKU, else the article code; '' when neither (never null:
    // null means "deleted in the shop" to the shared rules, and an eCom line still names its variant).
    sku: p.sku || p.articleCode || '',
    remoteProductId: p.productId ?? 0,
    remoteVariationId: p.variantId ?? 0,
    quantity,
    reducedStock: holds ? quantity : 0,
    price: p.priceIncl,
  };
}

export function toRemoteOrder(order: EcomOrderLike, products: EcomOrderProductLike[]): RemoteOrder {
  const holds = ecomOrderHoldsStock(order.status);
  return {
    id: order.id,
    status: order.status,
    dateCreatedGmt: ecomGmt(order.createdAt),
    dateModifiedGmt: ecomGmt(order.updatedAt),
    lines: products.map((p) => toRemoteOrderLine(p, holds)),
  };
}
