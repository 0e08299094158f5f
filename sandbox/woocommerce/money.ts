// Money the way WooCommerce handles it: PHP round() (half away from zero, after pre-rounding),
// number_format for answers (wc_format_decimal with dp) and 6-decimal storage for computed values.
import { isNumeric, phpStrval } from './coerce';

/** PHP round($value, $dp). */
export function phpRound(value: number, dp: number): number {
  if (!Number.isFinite(value)) return 0;
  const factor = 10 ** dp;
  let scaled = Math.abs(value) * factor;
  // Pre-rounding to 15 significant digits only matters next to a half (1.005 -> 1.01).
  if (Math.abs((scaled % 1) - 0.5) < 1e-6) scaled = Number(scaled.toPrecision(15));
  return (Math.sign(value) * Math.round(scaled)) / factor;
}

/** wc_format_decimal($value, $dp): a string with exactly `dp` decimals. */
export function formatMoney(value: number, dp: number): string {
  const rounded = phpRound(value, dp);
  const text = rounded.toFixed(dp);
  return text === `-${(0).toFixed(dp)}` ? text.slice(1) : text;
}

/** A float stored through wc_format_decimal without dp: 6 decimals, trailing zeros dropped. */
export function storedDecimal(value: number): number {
  return Number(value.toFixed(6));
}

/** floatval() of a posted money string ('' and junk are 0). */
export function moneyValue(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  const s = phpStrval(v).replace(/[^0-9.,-]/g, '');
  return isNumeric(s) ? Number(s) : Number.parseFloat(s) || 0;
}
