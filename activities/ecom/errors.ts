// Every failure of an eCom call becomes an EcomApiError that says whether a retry can help.
// Retrying is Temporal's job (design.md): toEcomActivityFailure hands the verdict to it.
import { ApplicationFailure } from '@temporalio/common';
import { parseRetryAfter, redactSecrets } from '../woocommerce/errors';

export type EcomErrorKind =
  | 'validation' // 400 / 422: the request itself is wrong
  | 'auth' // 401 / 403
  | 'not_found' // 404: unknown id, or unknown / inactive language
  | 'rate_limited' // 429, also when the error envelope says so under a 2xx
  | 'server' // 5xx
  | 'timeout' // no answer in time
  | 'network' // connection refused / reset ...
  | 'bad_response' // 2xx that is not the wrapped JSON we expect, or carries an error envelope
  | 'invalid_request'; // refused locally, nothing was sent

export interface EcomApiErrorInit {
  method: string;
  /** /{lang}/{resource}.json with its query. */
  path: string;
  /** HTTP status; 0 when no answer arrived or nothing was sent. */
  status: number;
  kind: EcomErrorKind;
  apiMessage: string;
  retryable: boolean;
  retryAfterMs?: number;
}

export class EcomApiError extends Error {
  override readonly name = 'EcomApiError';
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly kind: EcomErrorKind;
  readonly apiMessage: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: EcomApiErrorInit) {
    const what = init.status > 0 ? `HTTP ${init.status}` : init.kind === 'invalid_request' ? 'refused locally' : 'no response';
    super(`Lightspeed eCom ${init.method} ${init.path} failed (${what}, ${init.kind}): ${init.apiMessage}`);
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.kind = init.kind;
    this.apiMessage = init.apiMessage;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

function kindOf(status: number): EcomErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'validation';
}

/** The `{"error":{code,message}}` envelope, when the body carries one (the API may send it under a 2xx). */
export function errorEnvelope(body: unknown): { code: number | undefined; message: string } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const e = (body as { error: unknown }).error;
  if (typeof e !== 'object' || e === null) return { code: undefined, message: String(e) };
  const r = e as Record<string, unknown>;
  const code = typeof r.code === 'number' ? r.code : typeof r.code === 'string' && /^\d+$/.test(r.code) ? Number(r.code) : undefined;
  return { code, message: typeof r.message === 'string' ? r.message : JSON.stringify(e) };
}

export interface EcomHttpFailure {
  method: string;
  path: string;
  status: number;
  body: unknown;
  retryAfter?: string;
  secrets: readonly string[];
}

/** A non-2xx answer, or a 2xx carrying the error envelope (classified by the envelope's code). */
export function classifyEcomFailure(f: EcomHttpFailure): EcomApiError {
  const envelope = errorEnvelope(f.body);
  const under2xx = f.status >= 200 && f.status < 300;
  const effective = under2xx ? envelope?.code ?? 0 : f.status;
  const kind: EcomErrorKind = effective === 0 ? 'bad_response' : kindOf(effective);
  const message = envelope?.message ?? (typeof f.body === 'string' ? f.body.slice(0, 200) : `HTTP ${f.status}`);
  const retryAfterMs = kind === 'rate_limited' || effective === 503 ? parseRetryAfter(f.retryAfter) : undefined;
  return new EcomApiError({
    method: f.method,
    path: f.path,
    status: f.status,
    kind,
    apiMessage: redactSecrets(under2xx ? `error envelope under HTTP ${f.status}: ${message}` : message, f.secrets),
    // An unexplained error under a 2xx may have been applied: retry it like a lost answer.
    retryable: kind === 'bad_response' || RETRYABLE.has(effective),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

export function classifyEcomTransport(method: string, path: string, err: unknown, timeoutMs: number, secrets: readonly string[]): EcomApiError {
  const code = typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'network_error';
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
  const raw = err instanceof Error ? err.message : String(err);
  return new EcomApiError({
    method,
    path,
    status: 0,
    kind: timedOut ? 'timeout' : 'network',
    apiMessage: timedOut ? `no complete answer within ${timeoutMs} ms` : redactSecrets(`${code}: ${raw}`, secrets),
    retryable: code !== 'ENOTFOUND' && code !== 'ERR_INVALID_URL',
  });
}

/** The ApplicationFailure an activity throws for an eCom error; messages never carry credentials. */
export function toEcomActivityFailure(err: unknown): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof EcomApiError) {
    return ApplicationFailure.create({
      message: err.message,
      type: `EcomApiError.${err.kind}`,
      nonRetryable: !err.retryable,
      ...(err.retryAfterMs !== undefined ? { nextRetryDelay: err.retryAfterMs } : {}),
      details: [{ status: err.status, kind: err.kind }],
    });
  }
  return ApplicationFailure.create({ message: `Lightspeed eCom call failed: ${redactSecrets(err instanceof Error ? err.message : String(err))}`, type: 'EcomClientError' });
}
