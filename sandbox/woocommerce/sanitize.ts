// WordPress/WooCommerce sanitizers that change what a client sent before it is stored.
import { phpStrval } from './coerce';

function stripTags(s: string): string {
  return s.replace(/<(script|style)[^>]*?>[\s\S]*?<\/\1>/gi, '').replace(/<[^>]*>?/g, '');
}

/**
 * wc_clean (sanitize_text_field): strips tags, collapses whitespace, trims and drops
 * percent-encoded octets, so 'ABC%20D' is stored as 'ABCD'.
 */
export function wcClean(value: unknown): string {
  let s = phpStrval(value);
  if (s.includes('<')) s = stripTags(s.replace(/<(?![a-zA-Z/!?])/g, '&lt;'));
  s = s.replace(/[\r\n\t ]+/g, ' ').trim();
  if (/%[a-f0-9]{2}/i.test(s)) s = s.replace(/%[a-f0-9]{2}/gi, '').replace(/ +/g, ' ').trim();
  return s;
}

/**
 * wc_format_decimal without rounding: keeps digits, '-' and the last '.', so '19,99' becomes '1999'
 * (the store's decimal separator is '.').
 */
export function wcFormatDecimal(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return wcClean(value).replace(/\.(?![^.]+$)|[^0-9.-]/g, '');
}

function removeAccents(s: string): string {
  return s
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** sanitize_title_with_dashes: 'Rig Variable Hoodie' -> 'rig-variable-hoodie'. */
export function sanitizeTitle(value: unknown): string {
  return removeAccents(stripTags(phpStrval(value)))
    .toLowerCase()
    .replace(/&.+?;/g, '')
    .replace(/\./g, '-')
    .replace(/[^%a-z0-9 _-]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}
