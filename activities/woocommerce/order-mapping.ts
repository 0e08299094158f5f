import { reducedStockOf } from '../../domain/order-stock';
import type { RemoteOrder, ShopItemInfo } from '../../domain/remote-order';
import type { Knex } from 'knex';
import { resolveSkus } from '../pos/stock';
import type { WooClient } from './client';
import { WooApiError } from './errors';
import type { WooOrder, WooProduct, WooVariation } from './types';

export function toRemoteOrder(o: WooOrder): RemoteOrder {
  return {
    id: o.id,
    status: o.status,
    dateCreatedGmt: o.date_created_gmt ?? '',
    dateModifiedGmt: o.date_modified_gmt ?? '',
    lines: o.line_items.map((l) => ({
      lineId: l.id, name: l.name, sku: l.sku, remoteProductId: l.product_id, remoteVariationId: l.variation_id,
      quantity: l.quantity, reducedStock: reducedStockOf(l.meta_data), price: Number(l.price) || 0,
    })),
  };
}

/**
 * Maps shop orders and, for SKUs the POS does not have, reads the shop's product (its stock
 * level, and for a variation its parent and attributes) so the POS can create it as the shop
 * has it (M-B6). The import and the live sync both read orders through this.
 */
export async function readRemoteOrders(db: Knex | Knex.Transaction, client: WooClient, wooOrders: WooOrder[]): Promise<RemoteOrder[]> {
  const orders = wooOrders.map(toRemoteOrder);
  const skus = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.sku)).filter((s): s is string => !!s))];
  if (skus.length === 0) return orders;
  const known = await resolveSkus(db, skus);
  const cache = new Map<string, Promise<ShopItemInfo | undefined>>();
  const parents = new Map<number, Promise<WooProduct | undefined>>();
  const parentOf = (id: number) => {
    if (!parents.has(id)) parents.set(id, orNotFound(() => client.getProduct(id)));
    return parents.get(id)!;
  };
  for (const o of orders) {
    for (const l of o.lines) {
      if (!l.sku || known.has(l.sku)) continue;
      if (!cache.has(l.sku)) {
        const { remoteProductId: pid, remoteVariationId: vid } = l;
        cache.set(l.sku, (async () => {
          const readAt = new Date().toISOString();
          if (vid) {
            const [v, parent] = await Promise.all([orNotFound(() => client.getVariation(pid, vid)), parentOf(pid)]);
            return v && parent ? variationInfo(v, parent, readAt) : undefined;
          }
          const p = await orNotFound(() => client.getProduct(pid));
          return p ? productInfo(p, readAt) : undefined;
        })());
      }
      const info = await cache.get(l.sku)!;
      if (info) l.shop = info;
    }
  }
  return orders;
}

async function orNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof WooApiError && err.status === 404) return undefined;
    throw err;
  }
}

const stockOf = (x: { manage_stock: unknown; stock_quantity: number | null }): number | null =>
  x.manage_stock === true && typeof x.stock_quantity === 'number' ? x.stock_quantity : null;

const priceOf = (s: string | undefined): number | null => (s && Number.isFinite(Number(s)) ? Number(s) : null);

function productInfo(p: WooProduct, readAt: string): ShopItemInfo {
  return { stock: stockOf(p), readAt, name: p.name, price: priceOf(p.regular_price || p.price), attributes: [] };
}

function variationInfo(v: WooVariation, parent: WooProduct, readAt: string): ShopItemInfo {
  return {
    // A variation whose stock its parent manages reports the parent's level, which is not its own.
    stock: stockOf(v),
    readAt,
    name: parent.name,
    price: priceOf(v.regular_price || v.price),
    attributes: v.attributes.map((a) => ({ name: a.name, option: a.option })),
    parent: {
      remoteId: parent.id, sku: parent.sku, name: parent.name,
      attributes: parent.attributes.filter((a) => a.variation).map((a) => ({ name: a.name, options: [...(a.options ?? [])] })),
    },
  };
}

/** WooCommerce dates are written without an offset; with dates_are_gmt=true they are read as UTC. */
export function wooGmt(d: Date): string {
  return d.toISOString().slice(0, 19);
}
