// Dates as WooCommerce shows them ('YYYY-MM-DDTHH:MM:SS', no offset) and reads them.

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Epoch ms -> 'YYYY-MM-DDTHH:MM:SS' in UTC shifted by offsetMinutes (0 for *_gmt fields). */
export function formatWpDate(epochMs: number, offsetMinutes = 0): string {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

export function formatNullableDate(epochMs: number | null, offsetMinutes = 0): string | null {
  return epochMs === null ? null : formatWpDate(epochMs, offsetMinutes);
}

export interface ParsedDate {
  /** The written wall-clock time read as if it were UTC, in ms. */
  wallMs: number;
  /** Offset written in the value (Z = 0), in minutes; undefined when none was written. */
  offsetMinutes?: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseDate(value: string): ParsedDate | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', tz] = m;
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(wallMs)) return undefined;
  if (!tz) return { wallMs };
  if (tz === 'Z' || tz === 'z') return { wallMs, offsetMinutes: 0 };
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return { wallMs, offsetMinutes: sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) };
}

/** rest_parse_date: the format the REST schema accepts for date-time params. */
export function isRestDateTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+|,\d+)?(?:[Zz]|[+-]\d{2}(?::\d{2})?)?$/.test(value);
}

/** An instant from a site-local value (set_date_prop): an explicit offset wins over the site's. */
export function instantFromLocal(value: string, siteOffsetMinutes: number): number | undefined {
  const p = parseDate(value);
  if (!p) return undefined;
  return p.wallMs - (p.offsetMinutes ?? siteOffsetMinutes) * 60_000;
}

/** An instant from a *_gmt value (strtotime in UTC). */
export function instantFromGmt(value: string): number | undefined {
  const p = parseDate(value);
  if (!p) return undefined;
  return p.wallMs - (p.offsetMinutes ?? 0) * 60_000;
}

/**
 * The wall-clock time WP_Date_Query compares with a post date column: a value with an offset is
 * converted to site time (even when the column is the GMT one), a value without is taken as written.
 */
export function dateQueryWallMs(value: string, siteOffsetMinutes: number): number | undefined {
  const p = parseDate(value);
  if (!p) return undefined;
  if (p.offsetMinutes === undefined) return p.wallMs;
  return p.wallMs - p.offsetMinutes * 60_000 + siteOffsetMinutes * 60_000;
}

/** Seconds precision, like MySQL DATETIME columns. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}
