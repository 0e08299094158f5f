/**
 * How a WooCommerce order moves POS stock. Pure rules, shared by the history import and the
 * live order sync, so both deduct the same way.
 *
 * M-B10: an order's effect on POS stock equals its effect on the shop's stock. WooCommerce 8.9
 * records that effect itself, per line, in the `_reduced_stock` item meta (wc-stock-functions.php,
 * wc-order-functions.php), and every path that moves stock keeps it exact:
 * - processing / completed / on-hold (or payment_complete) reduce each line by its quantity once
 *   (the order's stock_reduced flag) and set `_reduced_stock` = quantity;
 * - cancelled or back to pending give `_reduced_stock` back and delete it;
 * - a refund with restock (REST `api_restock`, default true) gives back the refunded quantity of
 *   the lines it names and lowers `_reduced_stock` by it (`_restock_refunded_items` counts them);
 *   without restock, nothing moves;
 * - the `refunded`, `failed` and `trash` statuses move nothing (a refunded order keeps its stock out).
 * So the shop's stock is short of exactly Σ `_reduced_stock` for the order, whatever its history:
 * that is what the POS deducts (verified case by case on a real store: test/contract/order-stock.test.ts).
 *
 * An order's applied effect is kept per item. Applying a newer version of the order moves stock
 * only by the difference, so a redelivered webhook, a re-run import or a reconnect never deducts
 * twice (M-B8 beyond), and a cancellation or a restocking refund gives the stock back.
 */

export interface ItemQuantity {
  /** `${productId}:${variantId ?? 0}` */
  key: string;
  productId: number;
  variantId: number | null;
  quantity: number;
}

export const itemKey = (productId: number, variantId: number | null): string => `${productId}:${variantId ?? 0}`;

/** The units a line holds out of the shop's stock now: its `_reduced_stock` meta (absent or empty = 0). */
export function reducedStockOf(meta: ReadonlyArray<{ key: string; value: unknown }> | undefined): number {
  const m = meta?.find((e) => e.key === '_reduced_stock');
  if (!m) return 0;
  const n = Number(m.value);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** True when the order holds stock out of the shop now (some line has reduced stock). */
export function holdsStock(lines: ReadonlyArray<{ reducedStock: number }>): boolean {
  return lines.some((l) => l.reducedStock !== 0);
}

/** Sums quantities per item. */
export function sumByItem(lines: Omit<ItemQuantity, 'key'>[]): ItemQuantity[] {
  const out = new Map<string, ItemQuantity>();
  for (const l of lines) {
    const key = itemKey(l.productId, l.variantId);
    const prev = out.get(key);
    if (prev) prev.quantity += l.quantity;
    else out.set(key, { key, productId: l.productId, variantId: l.variantId, quantity: l.quantity });
  }
  return [...out.values()].filter((q) => q.quantity !== 0);
}

/**
 * The stock deltas that take an order from what is applied to what it should be now.
 * Negative delta = stock leaves the outlet.
 */
export function stockDeltas(applied: ItemQuantity[], wanted: ItemQuantity[]): ItemQuantity[] {
  const keys = new Set([...applied.map((a) => a.key), ...wanted.map((w) => w.key)]);
  const out: ItemQuantity[] = [];
  for (const key of keys) {
    const a = applied.find((x) => x.key === key);
    const w = wanted.find((x) => x.key === key);
    const delta = (a?.quantity ?? 0) - (w?.quantity ?? 0);
    if (delta !== 0) {
      const ref = (w ?? a)!;
      out.push({ key, productId: ref.productId, variantId: ref.variantId, quantity: delta });
    }
  }
  return out;
}
