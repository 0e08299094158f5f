// Stock moves caused by orders (wc-stock-functions.php): reduce once when the order reaches a paid
// status, restore when it is cancelled or back to pending, adjust when a line's quantity changes.
// Each move saves the product that holds the stock (so its date_modified and product.updated follow)
// and marks the line with _reduced_stock.
import type { Catalog } from './catalog';
import type { ProductRecord } from './model';
import type { LineItem, OrderRecord } from './order-model';
import { variationAttributeList } from './shape-common';
import type { Store } from './store';
import type { WriteEnv } from './write-common';

export interface StockEnv {
  env: WriteEnv;
  store: Store;
  /** Writes without API stats; its events feed product webhooks. */
  catalog: Catalog;
  allocateItemMeta(): number;
}

/** managing_stock(): the record whose quantity moves (a variation may use its parent's). */
function stockHolder(store: Store, p: ProductRecord): ProductRecord | undefined {
  if (p.manageStock) return p;
  if (p.type === 'variation') {
    const parent = store.get(p.parentId);
    if (parent?.manageStock) return parent;
  }
  return undefined;
}

/** get_formatted_name(): "Name (SKU)", variations followed by their attributes not in the name. */
export function formattedName(store: Store, p: ProductRecord): string {
  const base = `${p.name} (${p.sku !== '' ? p.sku : `#${p.id}`})`;
  if (p.type !== 'variation') return base;
  const extra = variationAttributeList(store, p)
    .filter((a) => !p.name.includes(String(a.option)))
    .map((a) => `${String(a.name)}: ${String(a.option)}`)
    .join(', ');
  return `${base}<span class="description">${extra}</span>`;
}

function lineProduct(store: Store, l: LineItem): ProductRecord | undefined {
  return store.get(l.variationId || l.productId);
}

/** wc_update_product_stock($product, $qty, 'increase'|'decrease'): returns the new quantity. */
function moveStock(s: StockEnv, holder: ProductRecord, delta: number): number {
  const next = (holder.stockQuantity ?? 0) + delta;
  if (holder.type === 'variation') s.catalog.updateVariation(s.env, holder.id, { product_id: holder.parentId, stock_quantity: next });
  else s.catalog.updateProduct(s.env, holder.id, { stock_quantity: next });
  return next;
}

function reducedQty(l: LineItem): number {
  const m = l.meta.find((e) => e.key === '_reduced_stock');
  return m ? Number(m.value) || 0 : 0;
}

function setReduced(s: StockEnv, l: LineItem, qty: number | undefined): void {
  const existing = l.meta.find((e) => e.key === '_reduced_stock');
  if (qty === undefined) l.meta = l.meta.filter((e) => e !== existing);
  else if (existing) existing.value = String(qty);
  else l.meta.push({ id: s.allocateItemMeta(), key: '_reduced_stock', value: String(qty) });
}

/** wc_reduce_stock_levels: the note text, or undefined when nothing moved. */
export function reduceStock(s: StockEnv, o: OrderRecord): string | undefined {
  const changes: string[] = [];
  for (const l of o.lines) {
    const product = lineProduct(s.store, l);
    const holder = product && stockHolder(s.store, product);
    if (!product || !holder || reducedQty(l) !== 0) continue;
    const to = moveStock(s, holder, -l.quantity);
    setReduced(s, l, l.quantity);
    changes.push(`${formattedName(s.store, product)} ${to + l.quantity}&rarr;${to}`);
  }
  return changes.length ? `Stock levels reduced: ${changes.join(', ')}` : undefined;
}

/** wc_increase_stock_levels: puts back what each line took. */
export function restoreStock(s: StockEnv, o: OrderRecord): string | undefined {
  const changes: string[] = [];
  for (const l of o.lines) {
    const product = lineProduct(s.store, l);
    const holder = product && stockHolder(s.store, product);
    const qty = reducedQty(l);
    if (!product || !holder || qty === 0) continue;
    const to = moveStock(s, holder, qty);
    setReduced(s, l, undefined);
    changes.push(`${formattedName(s.store, product)} ${to - qty}&rarr;${to}`);
  }
  return changes.length ? `Stock levels increased: ${changes.join(', ')}` : undefined;
}

/**
 * wc_restock_refunded_items, for one refunded line: only a line whose stock was reduced, by the
 * refunded quantity; `_reduced_stock` goes down by it and `_restock_refunded_items` up. The note text.
 */
export function restockRefundedLine(s: StockEnv, l: LineItem, qty: number): string | undefined {
  const product = lineProduct(s.store, l);
  const holder = product && stockHolder(s.store, product);
  const reduced = l.meta.find((e) => e.key === '_reduced_stock');
  if (!reduced || !Number(reduced.value) || !qty || !product || !holder) return undefined;
  const old = holder.stockQuantity ?? 0;
  const to = moveStock(s, holder, qty);
  reduced.value = String(Number(reduced.value) - qty);
  const restocked = l.meta.find((e) => e.key === '_restock_refunded_items');
  if (restocked) restocked.value = String((Number(restocked.value) || 0) + qty);
  else l.meta.push({ id: s.allocateItemMeta(), key: '_restock_refunded_items', value: String(qty) });
  return `Item #${product.id} stock increased from ${old} to ${to}.`;
}

/** wc_maybe_adjust_line_item_product_stock: a changed quantity on a paid order moves the difference. */
export function adjustLineStock(s: StockEnv, o: OrderRecord, l: LineItem): void {
  if (!['processing', 'completed', 'on-hold'].includes(o.status)) return;
  const product = lineProduct(s.store, l);
  const holder = product && stockHolder(s.store, product);
  if (!product || !holder) return;
  const diff = l.quantity - reducedQty(l);
  if (diff === 0) return;
  moveStock(s, holder, -diff);
  setReduced(s, l, l.quantity);
}

/** wc_update_total_sales_counts: once per order, on the parent product. */
export function recordSales(s: StockEnv, o: OrderRecord): void {
  for (const l of o.lines) {
    const p = l.productId ? s.store.get(l.productId) : undefined;
    if (p) s.store.save({ ...p, totalSales: p.totalSales + l.quantity });
  }
}
