// One parsed API request, the error the handlers throw, and the input coercion the real API applies
// (numbers may come as strings; relations written as integers, `false` or '' for none).
export interface EcomRequest {
  method: string;
  lang: string;
  /** The resource path without language and .json, e.g. '/products/12/images'. */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

export class EcomError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EcomAnswer {
  status: number;
  body: unknown;
}

export function errorEnvelope(status: number, message: string, method: string, request: string): unknown {
  return { error: { code: status, method, request, message } };
}

/** The object under the body's singular key, e.g. body.product. */
export function wrapped(req: EcomRequest, key: string): Record<string, unknown> {
  const inner = req.body?.[key];
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new EcomError(400, `Missing or invalid "${key}" object in request body`);
  return inner as Record<string, unknown>;
}

export function numberField(obj: Record<string, unknown>, key: string, fallback: number): number {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (v === '' || v === false || v === null) return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new EcomError(400, `Invalid value for ${key}`);
  return n;
}

export function intField(obj: Record<string, unknown>, key: string, fallback: number): number {
  return Math.round(numberField(obj, key, fallback));
}

export function stringField(obj: Record<string, unknown>, key: string, fallback: string): string {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (v === null || v === false) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new EcomError(400, `Invalid value for ${key}`);
}

/** A relation written as an id: a positive integer (or a string of one); false, '', 0 or null clear it. */
export function relationField(obj: Record<string, unknown>, key: string, fallback: number | null): number | null {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (v === false || v === '' || v === null || v === 0 || v === '0') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new EcomError(400, `Invalid ${key} id`);
  return n;
}

export function oneOf<T extends string>(obj: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  const v = obj[key];
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new EcomError(400, `Invalid ${key}: expected one of ${allowed.join(', ')}`);
}
