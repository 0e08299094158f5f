// Injected failures: deterministic rules first, then random server errors, rate limits, hangs and
// lost responses (the write is applied, the answer is a 500).
import { STATUS_CODES } from 'node:http';
import { Prng } from './prng';
import type { FaultOptions, FaultRule } from './types';

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'hang' }
  /** Answer with this fault; `applyFirst` runs the request before answering. */
  | { kind: 'answer'; applyFirst: boolean; status: number; body: unknown; retryAfterSeconds?: number; headers?: Record<string, string> };

const CODES: Record<number, [string, string]> = {
  400: ['rest_invalid_param', 'Invalid parameter(s).'],
  401: ['woocommerce_rest_authentication_error', 'Sorry, you are not allowed to do that.'],
  403: ['rest_forbidden', 'Sorry, you are not allowed to do that.'],
  404: ['rest_no_route', 'No route was found matching the URL and request method.'],
  409: ['rest_conflict', 'Conflict.'],
  413: ['woocommerce_rest_request_entity_too_large', 'Unable to accept more than 100 items for this request.'],
  429: ['rest_too_many_requests', 'Too many requests. Please try again later.'],
  500: [
    'internal_server_error',
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
  ],
  502: ['bad_gateway', 'Bad Gateway'],
  503: ['service_unavailable', 'Service Unavailable'],
  504: ['gateway_timeout', 'Gateway Timeout'],
};

/** The WP error envelope a fault answers with when the rule gives no body. */
export function faultBody(status: number): unknown {
  const [code, message] = CODES[status] ?? [`http_${status}`, STATUS_CODES[status] ?? 'Error'];
  return status === 500 ? { code, message, data: { status }, additional_errors: [] } : { code, message, data: { status } };
}

/**
 * A list that answers an empty page, as a store does that lost its data or has not loaded it yet
 * (seen after a restart: issue 7.6). Real WooCommerce answers an empty list with these headers.
 */
export function emptyListFault(path: string | RegExp, times?: number): FaultRule {
  return { method: 'GET', path, status: 200, body: [], headers: { 'X-WP-Total': '0', 'X-WP-TotalPages': '0' }, times };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const DEFAULT_FAULTS: FaultOptions = {
  serverErrorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  hangRate: 0,
  lostResponseRate: 0,
  rules: [],
  slowCreateMs: 0,
};

interface RuleState {
  rule: FaultRule;
  remaining: number;
}

export class FaultInjector {
  private options: FaultOptions = { ...DEFAULT_FAULTS };
  private rules: RuleState[] = [];

  constructor(private random: () => number = Math.random) {}

  /** Replaces the given keys only; rules given are replaced as a whole (with fresh counters). */
  set(partial: Partial<FaultOptions>): void {
    const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<FaultOptions>;
    this.options = { ...this.options, ...defined };
    if (defined.rules) this.rules = defined.rules.map((rule) => ({ rule, remaining: rule.times ?? Infinity }));
    if (defined.seed !== undefined) {
      const prng = new Prng(defined.seed);
      this.random = () => prng.next();
    }
  }

  reset(): void {
    this.options = { ...DEFAULT_FAULTS };
    this.rules = [];
  }

  get slowCreateMs(): number {
    return this.options.slowCreateMs;
  }

  /** `path` is the route after /wc/v3, e.g. '/products/batch'. */
  decide(method: string, path: string): FaultDecision {
    for (const state of this.rules) {
      const { rule } = state;
      if (state.remaining <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (typeof rule.path === 'string' ? rule.path !== path : !rule.path.test(path)) continue;
      state.remaining--;
      const retryAfterSeconds = rule.retryAfterSeconds ?? (rule.status === 429 ? this.options.retryAfterSeconds : undefined);
      return { kind: 'answer', applyFirst: !!rule.applyFirst, status: rule.status, body: rule.body ?? faultBody(rule.status), retryAfterSeconds, headers: rule.headers };
    }
    const o = this.options;
    if (o.serverErrorRate > 0 && this.random() < o.serverErrorRate) {
      const status = [500, 502, 503][Math.floor(this.random() * 3)] ?? 500;
      return { kind: 'answer', applyFirst: false, status, body: faultBody(status) };
    }
    if (o.rateLimitRate > 0 && this.random() < o.rateLimitRate) {
      return { kind: 'answer', applyFirst: false, status: 429, body: faultBody(429), retryAfterSeconds: o.retryAfterSeconds };
    }
    if (o.hangRate > 0 && this.random() < o.hangRate) return { kind: 'hang' };
    if (o.lostResponseRate > 0 && WRITE_METHODS.has(method) && this.random() < o.lostResponseRate) {
      return { kind: 'answer', applyFirst: true, status: 500, body: faultBody(500) };
    }
    return { kind: 'none' };
  }
}
