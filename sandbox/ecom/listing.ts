// List parameters the real API takes: page (1-based), limit (default 50, at most 250; no pagination
// headers), since_id, created/updated_at_min/max as 'YYYY-MM-DD HH:MM:SS' (UTC here).
import { EcomError } from './request';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

interface Listable {
  id: number;
  createdAt: string;
  updatedAt: string;
}

function dateParam(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/.exec(v.trim());
  if (!m) throw new EcomError(400, `Invalid ${key}: expected YYYY-MM-DD HH:MM:SS`);
  return Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}Z`);
}

function intParam(q: URLSearchParams, key: string, fallback: number): number {
  const v = q.get(key);
  if (v === null || v === '') return fallback;
  if (!/^\d+$/.test(v)) throw new EcomError(400, `Invalid ${key}`);
  return Number(v);
}

/** Filters by id cursor and dates; `extra` holds the resource's own filters. */
export function filterRows<T extends Listable>(rows: T[], q: URLSearchParams, extra: (row: T) => boolean = () => true): T[] {
  const sinceId = intParam(q, 'since_id', 0);
  const bounds = ['created_at_min', 'created_at_max', 'updated_at_min', 'updated_at_max'].map((k) => dateParam(q, k));
  const [cMin, cMax, uMin, uMax] = bounds;
  return rows
    .filter((r) => r.id > sinceId)
    .filter((r) => {
      const c = Date.parse(r.createdAt);
      const u = Date.parse(r.updatedAt);
      return (cMin === undefined || c >= cMin) && (cMax === undefined || c <= cMax) && (uMin === undefined || u >= uMin) && (uMax === undefined || u <= uMax);
    })
    .filter(extra)
    .sort((a, b) => a.id - b.id);
}

export function pageOf<T>(rows: T[], q: URLSearchParams): T[] {
  const limit = Math.min(MAX_LIMIT, Math.max(1, intParam(q, 'limit', DEFAULT_LIMIT)));
  const page = Math.max(1, intParam(q, 'page', 1));
  return rows.slice((page - 1) * limit, page * limit);
}
