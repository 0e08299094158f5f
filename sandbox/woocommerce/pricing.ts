// Prices WooCommerce derives from regular/sale prices and sale dates, per product and per
// variable product (from its visible variations).
import { isNumeric } from './coerce';
import type { ProductRecord } from './model';
import type { Store } from './store';

/** PHP compares numeric strings as numbers; '' is never greater than a price. */
function greater(a: string, b: string): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) > Number(b);
  return a > b && a !== '' && b !== '';
}

export function isOnSale(r: ProductRecord, now: number): boolean {
  if (r.salePrice === '' || !greater(r.regularPrice, r.salePrice)) return false;
  if (r.saleFrom !== null && r.saleFrom > now) return false;
  if (r.saleTo !== null && r.saleTo < now) return false;
  return true;
}

/** The active price of a simple product or a variation. */
export function activePrice(r: ProductRecord, now: number): string {
  return isOnSale(r, now) ? r.salePrice : r.regularPrice;
}

export interface VariablePrices {
  /** Active prices of the visible variations, ascending, 2 decimals. */
  prices: string[];
  regular: string[];
  onSale: boolean;
}

const twoDecimals = (v: string): string => (isNumeric(v) ? Number(v).toFixed(2) : v);

/** get_variation_prices: published variations that have a price. */
export function variablePrices(store: Store, parent: ProductRecord, now: number): VariablePrices {
  const prices: number[] = [];
  const regular: number[] = [];
  let onSale = false;
  for (const id of parent.children) {
    const v = store.get(id);
    if (!v || v.status !== 'publish') continue;
    const price = activePrice(v, now);
    if (price === '') continue;
    prices.push(Number(price));
    regular.push(Number(v.regularPrice || price));
    if (isOnSale(v, now)) onSale = true;
  }
  const fmt = (list: number[]): string[] => list.sort((a, b) => a - b).map((n) => twoDecimals(String(n)));
  return { prices: fmt(prices), regular: fmt(regular), onSale };
}

/** The `price` field: the cheapest variation for a variable product. */
export function displayPrice(store: Store, r: ProductRecord, now: number): string {
  if (r.type === 'variable') return variablePrices(store, r, now).prices[0] ?? '';
  if (r.type === 'grouped') return '';
  return activePrice(r, now);
}
