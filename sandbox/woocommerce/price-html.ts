// price_html as WooCommerce renders it with the default store settings ($, 2 decimals).
import { isNumeric } from './coerce';
import type { ProductRecord } from './model';
import { activePrice, isOnSale, variablePrices } from './pricing';
import type { Store } from './store';

const money = (v: string): string => (isNumeric(v) ? Number(v).toFixed(2) : '0.00');

function wcPrice(v: string): string {
  return (
    '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>' +
    `${money(v)}</bdi></span>`
  );
}

function salePrice(regular: string, sale: string): string {
  return (
    `<del aria-hidden="true">${wcPrice(regular)}</del> <span class="screen-reader-text">Original price was: &#036;${money(regular)}.</span>` +
    `<ins aria-hidden="true">${wcPrice(sale)}</ins><span class="screen-reader-text">Current price is: &#036;${money(sale)}.</span>`
  );
}

export function priceHtml(store: Store, r: ProductRecord, now: number): string {
  if (r.type === 'variable') {
    const { prices, regular, onSale } = variablePrices(store, r, now);
    const min = prices[0];
    const max = prices[prices.length - 1];
    if (min === undefined || max === undefined) return '';
    if (min !== max) return `${wcPrice(min)} &ndash; ${wcPrice(max)}`;
    const regMin = regular[0] ?? min;
    return onSale && regMin !== min ? salePrice(regMin, min) : wcPrice(min);
  }
  if (r.type === 'grouped') return '';
  const price = activePrice(r, now);
  if (price === '') return '';
  return isOnSale(r, now) ? salePrice(r.regularPrice, r.salePrice) : wcPrice(price);
}
