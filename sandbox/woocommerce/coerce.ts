// PHP value semantics the WooCommerce setters rely on. Batch items skip REST validation, so their
// raw JSON values reach the setters and get these conversions.

/** isset(): present and not null. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** PHP truthiness (`if ($x)`): '', '0', 0, [], null and false are falsy. */
export function phpTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '' || v === '0') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'number') return !Number.isNaN(v);
  return true;
}

/** empty(): the opposite of truthiness. */
export function phpEmpty(v: unknown): boolean {
  return !phpTruthy(v);
}

/** (int) / intval / absint-without-abs: leading number of a string, truncation of floats. */
export function phpIntval(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const m = /^[ \t\n\r\v\f]*([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)/.exec(v);
    if (!m?.[1]) return 0;
    const n = Number(m[1]);
    return Number.isFinite(n) ? Math.trunc(n) : 0;
  }
  if (Array.isArray(v)) return v.length > 0 ? 1 : 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0 ? 1 : 0;
  return 0;
}

export function absint(v: unknown): number {
  return Math.abs(phpIntval(v));
}

/** wc_string_to_bool: true, 'yes', 'true', '1' and 1 are true. */
export function wcStringToBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1) return true;
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    return s === 'yes' || s === 'true' || s === '1';
  }
  return false;
}

/** (string) cast of a scalar. */
export function phpStrval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (v === true) return '1';
  if (v === false || v === null || v === undefined) return '';
  return 'Array';
}

/** is_numeric() for strings and numbers. */
export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (typeof v !== 'string') return false;
  return /^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(v);
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** foreach over a PHP array: lists and objects both yield their values. */
export function phpValues(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  return [];
}
