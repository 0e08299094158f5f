// Every failure of a WooCommerce call becomes a WooApiError that says whether a retry can help.
// Retrying is Temporal's job (design.md): toActivityFailure hands the verdict to it.
import { ApplicationFailure } from '@temporalio/common';

export type WooErrorKind =
  | 'duplicate_sku' // 400 product_invalid_sku; data.resource_id holds the existing product
  | 'validation' // other 4xx the request itself caused (400, 405, 422, ...)
  | 'auth' // 401 / 403
  | 'not_found' // 404, or 400 *_invalid_id (WooCommerce answers updates of unknown ids with 400)
  | 'conflict' // 409
  | 'gone' // 410, e.g. already trashed
  | 'too_large' // 413, e.g. batch over 100 items
  | 'rate_limited' // 429
  | 'server' // 5xx
  | 'timeout' // no answer in time, or 408
  | 'network' // connection refused / reset / DNS ...
  | 'redirect' // 3xx: the configured store URL is not the final one
  | 'bad_response' // 2xx whose body is not the JSON we expect
  | 'invalid_request'; // refused locally, nothing was sent

export interface WooApiErrorInit {
  method: string;
  /** API path relative to /wp-json/wc/v3, with its non-secret query params. */
  path: string;
  /** HTTP status; 0 when no response was received or nothing was sent. */
  status: number;
  code: string;
  /** WooCommerce's own message (or a description of the transport failure). */
  wooMessage: string;
  data?: unknown;
  retryable: boolean;
  retryAfterMs?: number;
  kind: WooErrorKind;
}

export class WooApiError extends Error {
  override readonly name = 'WooApiError';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string;
  readonly wooMessage: string;
  readonly data: unknown;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly kind: WooErrorKind;

  constructor(init: WooApiErrorInit) {
    super(describe(init));
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.code = init.code;
    this.wooMessage = init.wooMessage;
    this.data = init.data;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
    this.kind = init.kind;
  }
}

function describe(e: WooApiErrorInit): string {
  const what = e.status > 0 ? `HTTP ${e.status}` : e.kind === 'invalid_request' ? 'refused locally' : 'no response';
  const retry = e.retryAfterMs !== undefined ? ` (server asks to retry after ${Math.ceil(e.retryAfterMs / 1000)} s)` : '';
  return `WooCommerce ${e.method} ${e.path} failed (${what}, ${e.code}): ${e.wooMessage}${retry}`;
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const AUTH_PARAM = /^(oauth_|consumer_key$|consumer_secret$)/i;

/** Removes oauth_* and consumer_key/consumer_secret params from an absolute or relative URL. */
export function stripAuthParams(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const kept = query.split('&').filter((pair) => {
    const rawKey = pair.split('=', 1)[0] ?? '';
    let key = rawKey;
    try {
      key = decodeURIComponent(rawKey);
    } catch {
      // keep the raw key
    }
    return pair !== '' && !AUTH_PARAM.test(key);
  });
  return url.slice(0, q) + (kept.length ? `?${kept.join('&')}` : '') + (hash < 0 ? '' : url.slice(hash));
}

/** Defence in depth for any text that may end up in logs or workflow history. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out
    .replace(/\b(oauth_[A-Za-z_]+|consumer_key|consumer_secret)(=|%3D)[^&\s"'<>#,;)]*/gi, '$1$2[redacted]')
    .replace(/\b(ck|cs)_[A-Za-z0-9]{8,}/g, '$1_[redacted]')
    .replace(/\b(Basic|OAuth)\s+[A-Za-z0-9+/=._~-]{8,}/g, '$1 [redacted]');
}

interface ErrorContext {
  method: string;
  path: string;
  secrets?: readonly string[];
}

export interface HttpFailure extends ErrorContext {
  status: number;
  statusText?: string;
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
  nowMs?: number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseWpError(body: string): { code: string; message: string; data: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(body.replace(/^\uFEFF/, ''));
    if (isRecord(parsed) && typeof parsed.code === 'string') {
      return { code: parsed.code, message: typeof parsed.message === 'string' ? parsed.message : '', data: parsed.data };
    }
  } catch {
    // not a WP REST error envelope (proxy error page, HTML, ...)
  }
  return undefined;
}

function textSnippet(body: string): string {
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function kindOf(status: number, code: string): WooErrorKind {
  if (code === 'product_invalid_sku') return 'duplicate_sku';
  if (status >= 300 && status < 400) return 'redirect';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || (status === 400 && code.endsWith('_invalid_id'))) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 413) return 'too_large';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'validation';
}

/** Classifies a non-2xx answer. */
export function classifyHttpFailure(f: HttpFailure): WooApiError {
  const wp = parseWpError(f.body);
  const code = wp?.code ?? `http_${f.status}`;
  let message = wp?.message || textSnippet(f.body) || f.statusText || 'no message';
  const kind = kindOf(f.status, code);
  if (kind === 'redirect') {
    const location = f.headers['location'];
    message = `redirected to ${location ? stripAuthParams(location) : '(no Location)'}; set the store URL to its final address`;
  }
  const retryAfterMs = RETRY_AFTER_STATUSES.has(f.status) ? parseRetryAfter(f.headers['retry-after'], f.nowMs) : undefined;
  return new WooApiError({
    method: f.method,
    path: f.path,
    status: f.status,
    code,
    wooMessage: redactSecrets(message, f.secrets),
    data: wp?.data,
    retryable: isRetryableStatus(f.status),
    retryAfterMs,
    kind,
  });
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
// Failures a retry cannot fix: the operator has to correct the URL or the certificate.
const PERMANENT_TRANSPORT_CODES = new Set([
  'ENOTFOUND',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

export interface TransportFailure extends ErrorContext {
  error: unknown;
  /** Our own deadline fired (the request was aborted by the client). */
  timedOut: boolean;
  timeoutMs?: number;
}

/** Classifies a failure where no HTTP answer arrived. */
export function classifyTransportFailure(f: TransportFailure): WooApiError {
  const err = isRecord(f.error) ? f.error : {};
  const code = typeof err.code === 'string' ? err.code : 'network_error';
  const raw = f.error instanceof Error ? f.error.message : String(f.error);
  const timedOut = f.timedOut || TIMEOUT_CODES.has(code);
  const base = { method: f.method, path: f.path, status: 0, data: undefined };
  if (timedOut) {
    return new WooApiError({
      ...base,
      code: 'timeout',
      wooMessage: f.timeoutMs !== undefined ? `no complete answer within ${f.timeoutMs} ms` : redactSecrets(raw, f.secrets),
      retryable: true,
      kind: 'timeout',
    });
  }
  return new WooApiError({
    ...base,
    code,
    wooMessage: redactSecrets(raw || code, f.secrets),
    retryable: !PERMANENT_TRANSPORT_CODES.has(code),
    kind: 'network',
  });
}

/**
 * Maps any error from a WooCommerce call to the ApplicationFailure an activity should throw.
 * The message never carries credentials: WooApiError messages are built from sanitized parts.
 */
export function toActivityFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof WooApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: `WooApiError.${err.kind}`,
      nonRetryable: !err.retryable,
      // A Retry-After of 0 set as nextRetryDelay ended the activity's retries (seen with the sandbox's 429s):
      // only a real wait overrides the retry policy's backoff.
      ...(err.retryAfterMs !== undefined && err.retryAfterMs > 0 ? { nextRetryDelay: err.retryAfterMs } : {}),
      details: [{ status: err.status, code: err.code }],
    });
  }
  const message = redactSecrets(err instanceof Error ? err.message : String(err));
  return ApplicationFailure.create({ message: `WooCommerce call failed: ${message}`, type: 'WooClientError' });
}
