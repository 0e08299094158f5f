import type { Stack } from '../../stack/start';
import type { TestShop } from './shop';

/** What a line holds out of the shop's stock: its `_reduced_stock` item meta (M-B10). */
export const reducedStock = (l: { meta_data?: Array<{ key: string; value: unknown }> }): number =>
  Number(l.meta_data?.find((m) => m.key === '_reduced_stock')?.value ?? 0) || 0;

/**
 * Units each SKU loses to the history orders that hold stock out of the shop (and fail nothing),
 * computed from the shop's own orders: each line's `_reduced_stock`, whatever the status (M-B10).
 */
export function expectedDeductions(orders: any[], opts: { before: Date }): { bySku: Map<string, number>; failing: number[]; counted: number[] } {
  const bySku = new Map<string, number>();
  const failing: number[] = [];
  const counted: number[] = [];
  for (const o of orders) {
    if (Date.parse(`${o.date_created_gmt}Z`) >= opts.before.getTime()) continue;
    if (!o.line_items.some((l: any) => reducedStock(l) !== 0)) continue;
    if (o.line_items.some((l: { sku: string | null }) => !l.sku)) {
      failing.push(o.id);
      continue;
    }
    counted.push(o.id);
    for (const l of o.line_items) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + reducedStock(l));
  }
  return { bySku, failing, counted };
}

/** POS stock per SKU at an outlet. */
export async function posStockBySku(stack: Stack, outletId: number): Promise<Map<string, number>> {
  const rows = await stack.db.raw(
    `SELECT coalesce(v.sku, p.sku) AS sku, i.quantity FROM inventory i JOIN products p ON p.id = i.product_id
       LEFT JOIN variants v ON v.id = i.variant_id WHERE i.outlet_id = ?`,
    [outletId],
  );
  return new Map(rows.rows.map((r: { sku: string; quantity: number }) => [r.sku, Number(r.quantity)]));
}

/**
 * A small shop catalog mirrored in the POS, sold in store only, so nothing is linked or pushed
 * before the import (M-B5 is about the import doing it). 100 units of each at the shop's outlet,
 * 50 at the other.
 */
export async function mirroredCatalog(stack: Stack, shop: Pick<TestShop, 'connectionId' | 'api' | 'outletId' | 'otherOutletId'>, prefix: string): Promise<string[]> {
  const client = stack.woo.get(shop.connectionId);
  const skus: string[] = [];
  for (let i = 0; i < 6; i++) {
    const sku = `${prefix}-S${i}`;
    await client.createProduct({ name: `Shop product ${i}`, type: 'simple', sku, regular_price: '10.00', manage_stock: true, stock_quantity: 3 });
    await shop.api.post('/api/products', { sku, name: `POS product ${i}`, retail_price: 12, channels: ['in_store'] });
    skus.push(sku);
  }
  const parent = await client.createProduct({
    name: 'Shop shirt', type: 'variable', sku: `${prefix}-V`, attributes: [{ name: 'Size', options: ['S', 'M'], variation: true, visible: true }],
  });
  for (const size of ['S', 'M']) {
    await client.createVariation(parent.id, { sku: `${prefix}-V-${size}`, regular_price: '20.00', manage_stock: true, stock_quantity: 2, attributes: [{ name: 'Size', option: size }] });
    skus.push(`${prefix}-V-${size}`);
  }
  await shop.api.post('/api/products', {
    sku: `${prefix}-V`, type: 'variable', name: 'POS shirt', channels: ['in_store'], attributes: [{ name: 'Size', options: ['S', 'M'] }],
    variants: ['S', 'M'].map((s) => ({ sku: `${prefix}-V-${s}`, retail_price: 22, attributes: [{ name: 'Size', option: s }] })),
  });
  await shop.api.post('/api/stock-counts', { outlet_id: shop.outletId, lines: skus.map((sku) => ({ sku, counted: 100 })) });
  await shop.api.post('/api/stock-counts', { outlet_id: shop.otherOutletId, lines: skus.map((sku) => ({ sku, counted: 50 })) });
  return skus;
}

export async function setStartDate(stack: Stack, connectionId: string, at: Date): Promise<void> {
  await stack.db('connections').where({ id: connectionId }).update({ start_date: at });
}
