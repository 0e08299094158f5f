// The request pipeline: /{lang}/{resource}.json, Basic auth (32-character key and secret), the rate
// limiter (headers on every answer), language check, faults, then the route, answered wrapped.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { catalogRoutes } from './catalog-routes';
import { EcomFaults } from './faults';
import { EcomStore } from './model';
import { orderRoutes } from './order-routes';
import { RateLimiter } from './rate-limiter';
import { type EcomAnswer, EcomError, type EcomRequest, errorEnvelope } from './request';
import type { RouteContext } from './routes';
import { isoDate, renderOrder } from './shapes';
import type { EcomSandboxStats, RateLimitOptions } from './types';
import { WebhookSender } from './webhook-sender';

const ROUTES = [...catalogRoutes, ...orderRoutes];
const URL_SHAPE = /^\/([^/]+)\/(.+)\.json$/;
const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 404: 'Not found', 405: 'Method not allowed', 429: 'Too many requests', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable' };

export interface EcomAppConfig {
  base: string;
  apiKey: string;
  apiSecret: string;
  languages: string[];
  rateLimit: RateLimitOptions;
  webhookDelayMs: number;
  shopId: number;
  stringNumbers: boolean;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class EcomApp {
  readonly store = new EcomStore();
  readonly faults = new EcomFaults();
  limiter: RateLimiter;
  readonly webhooks: WebhookSender;
  private stats = EcomApp.emptyStats();

  constructor(private readonly config: EcomAppConfig) {
    this.limiter = new RateLimiter(config.rateLimit);
    this.webhooks = new WebhookSender({
      store: this.store,
      shopId: config.shopId,
      delayMs: config.webhookDelayMs,
      payload: (orderId, lang) => {
        const o = this.store.orders.get(orderId);
        return o ? { order: renderOrder(this.context(lang), o, true) } : { order: { id: orderId } };
      },
    });
  }

  private static emptyStats() {
    return { requests: 0, byRoute: {} as Record<string, number>, rateLimited: 0, faultsInjected: 0, writes: 0 };
  }

  context(lang: string): RouteContext {
    return {
      base: this.config.base,
      lang,
      store: this.store,
      stringNumbers: this.config.stringNumbers,
      languages: this.config.languages,
      now: () => isoDate(),
      orderEvent: (action, id) => this.webhooks.orderEvent(action, id),
    };
  }

  snapshotStats(): EcomSandboxStats {
    return { ...JSON.parse(JSON.stringify(this.stats)), ...this.limiter.usage() } as EcomSandboxStats;
  }

  resetStats(): void {
    this.stats = EcomApp.emptyStats();
    this.limiter.reset();
  }

  private authorized(header: string | undefined): boolean {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const [key, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return key.length === 32 && secret.length === 32 && safeEqual(key, this.config.apiKey) && safeEqual(secret, this.config.apiSecret);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const raw = await readBody(req);
    this.stats.requests++;
    const fail = (status: number, message: string, headers: Record<string, string> = {}) =>
      this.send(res, status, errorEnvelope(status, message, method, url.pathname), headers);
    const shape = URL_SHAPE.exec(url.pathname);
    if (!shape) return fail(404, 'Not found');
    if (!this.authorized(req.headers.authorization)) return fail(401, 'Invalid API key or secret', { 'WWW-Authenticate': 'Basic realm="API"' });
    const verdict = this.limiter.take();
    if (!verdict.allowed) {
      this.stats.rateLimited++;
      return fail(429, 'Rate limit exceeded', { ...verdict.headers, 'Retry-After': String(verdict.retryAfter) });
    }
    const limitHeaders = verdict.headers;
    const [, lang, resource] = shape as unknown as [string, string, string];
    if (!this.config.languages.includes(lang)) return fail(404, 'Unknown or inactive language', limitHeaders);
    const path = `/${resource}`;
    const found = this.match(method, path);
    if (!found) return fail(404, 'Not found', limitHeaders);
    this.stats.byRoute[found.key] = (this.stats.byRoute[found.key] ?? 0) + 1;
    let body: Record<string, unknown> | undefined;
    if (raw.trim()) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return fail(400, 'Invalid JSON in request body', limitHeaders);
      }
    }
    const request: EcomRequest = { method, lang, path, query: url.searchParams, body };
    const fault = this.faults.decide(method, path);
    if (fault.kind === 'answer') {
      this.stats.faultsInjected++;
      if (fault.applyFirst) this.run(found, request);
      const faultHeaders = fault.retryAfterSeconds !== undefined ? { ...limitHeaders, 'Retry-After': String(fault.retryAfterSeconds) } : limitHeaders;
      const faultBody = fault.body ?? errorEnvelope(fault.status, STATUS_TEXT[fault.status] ?? 'Error', method, url.pathname);
      return this.send(res, fault.status, faultBody, faultHeaders);
    }
    const answer = this.run(found, request);
    if (answer.status >= 400) return fail(answer.status, String(answer.body), limitHeaders);
    if (method !== 'GET') this.stats.writes++;
    this.send(res, answer.status, answer.body, limitHeaders);
  }

  private match(method: string, path: string) {
    for (const r of ROUTES) {
      const m = r.pattern.exec(path);
      if (m && r.method === method) return { key: r.key, handle: r.handle, ids: m.slice(1).map(Number) };
    }
    return undefined;
  }

  /** Runs a route; a refusal comes back as {status, body: message}. */
  private run(found: NonNullable<ReturnType<EcomApp['match']>>, req: EcomRequest): EcomAnswer {
    try {
      if (req.method !== 'GET') this.store.touch();
      return found.handle(this.context(req.lang), req, found.ids);
    } catch (err) {
      if (err instanceof EcomError) return { status: err.status, body: err.message };
      throw err;
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
    if (res.writableEnded) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...headers, ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  }
}
