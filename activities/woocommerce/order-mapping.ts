import type { RemoteOrder } from '../../domain/remote-order';
import type { WooOrder } from './types';

export function toRemoteOrder(o: WooOrder): RemoteOrder {
  return {
    id: o.id,
    status: o.status,
    dateCreatedGmt: o.date_created_gmt ?? '',
    dateModifiedGmt: o.date_modified_gmt ?? '',
    lines: o.line_items.map((l) => ({
      lineId: l.id, name: l.name, sku: l.sku, remoteProductId: l.product_id, remoteVariationId: l.variation_id,
      quantity: l.quantity, price: Number(l.price) || 0,
    })),
  };
}

/** WooCommerce dates are written without an offset; with dates_are_gmt=true they are read as UTC. */
export function wooGmt(d: Date): string {
  return d.toISOString().slice(0, 19);
}
