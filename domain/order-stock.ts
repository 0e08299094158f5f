/**
 * How a WooCommerce order moves POS stock. Pure rules, shared by the history import and the
 * live order sync, so both deduct the same way.
 *
 * An order's effect is kept as "applied quantities" per item. Applying a newer version of the
 * order moves stock only by the difference, so a redelivered webhook, a re-run import or a
 * reconnect never deducts twice (M-B8 beyond), and a cancellation gives the stock back.
 */

/** Statuses whose items have left (or are reserved out of) stock, as WooCommerce reduces stock for them. */
export const DEDUCTING_STATUSES = ['processing', 'completed', 'on-hold'] as const;

/**
 * History orders in these statuses are imported as "skipped": WooCommerce already put their
 * stock back (cancelled, refunded, failed) or never took it (pending, drafts).
 */
export function deductsStock(status: string): boolean {
  return (DEDUCTING_STATUSES as readonly string[]).includes(status);
}

export interface ItemQuantity {
  /** `${productId}:${variantId ?? 0}` */
  key: string;
  productId: number;
  variantId: number | null;
  quantity: number;
}

export const itemKey = (productId: number, variantId: number | null): string => `${productId}:${variantId ?? 0}`;

/** Sums quantities per item. */
export function sumByItem(lines: Omit<ItemQuantity, 'key'>[]): ItemQuantity[] {
  const out = new Map<string, ItemQuantity>();
  for (const l of lines) {
    const key = itemKey(l.productId, l.variantId);
    const prev = out.get(key);
    if (prev) prev.quantity += l.quantity;
    else out.set(key, { key, productId: l.productId, variantId: l.variantId, quantity: l.quantity });
  }
  return [...out.values()];
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
