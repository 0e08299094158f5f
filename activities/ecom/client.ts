// Lightspeed eCom client (axios): /{lang}/{resource}.json with Basic auth, wrapped bodies, typed
// resources. Every request passes the shop key's budget first (in this process, or shared by every
// worker through PostgreSQL) and reports the X-RateLimit-* headers of its answer back to it, so no
// caller can overrun a window.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { parseRetryAfter } from '../woocommerce/errors';
import { type BudgetLimits, parseRateLimitHeaders } from './budget-state';
import { EcomApiError, classifyEcomFailure, classifyEcomTransport, errorEnvelope } from './errors';
import { toBrand, toImage, toOrder, toOrderProduct, toProduct, toVariant, toWebhook } from './normalize';
import type { Db } from '../../db/connection';
import { type EcomBudget, type EcomPriority, budgetFor } from './request-budget';
import { noteEcomRequest } from './request-count';
import { sharedBudgetFor } from './shared-budget';
import type {
  EcomBrand, EcomImage, EcomImageUpload, EcomListQuery, EcomOrder, EcomOrderProduct, EcomProduct, EcomProductWrite,
  EcomVariant, EcomVariantWrite, EcomWebhook, EcomWebhookWrite,
} from './types';

export const ECOM_MAX_LIMIT = 250;

export interface EcomClientOptions {
  /** Cluster base, e.g. https://api.webshopapp.com (eu1) or https://api.shoplightspeed.com (us1). */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The shop language to read and write content in, e.g. 'nl'. */
  language: string;
  timeoutMs?: number;
  /** Limits of the budget (time scale of a sandbox, reserve). Used by the first client of a key. */
  budget?: Partial<BudgetLimits>;
  /**
   * Where the shop key's budget lives. 'process' (the default): in this process only, for tests and a
   * client without a database. `{ db }`: in PostgreSQL, shared by every worker process (what workers use;
   * `connectionId` names the connection for `possync budget`).
   */
  budgetStore?: 'process' | { db: Db; connectionId?: string };
  /** A budget of one's own instead of the shop key's (tests of the budget itself). */
  ownBudget?: EcomBudget;
  /** Aborts waits and requests of every call, e.g. an activity's cancellation signal. */
  signal?: AbortSignal;
}

interface CallOptions {
  query?: EcomListQuery;
  body?: unknown;
  priority?: EcomPriority;
  /** Abandons the wait for the budget (and the request) when aborted, e.g. on activity cancellation. */
  signal?: AbortSignal;
}

type Json = Record<string, unknown>;

/** 'YYYY-MM-DD HH:MM:SS' in UTC, the list filters' date format. */
export function ecomDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

export class EcomClient {
  readonly budget: EcomBudget;
  private readonly http: AxiosInstance;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly secrets: string[];
  private readonly agents: [http.Agent, https.Agent];

  constructor(private readonly options: EcomClientOptions) {
    if (options.apiKey.length !== 32 || options.apiSecret.length !== 32) {
      throw new EcomApiError({ method: '-', path: '-', status: 0, kind: 'invalid_request', apiMessage: 'the API key and secret are 32 characters each', retryable: false });
    }
    if (!/^[a-z]{2}$/.test(options.language)) {
      throw new EcomApiError({ method: '-', path: '-', status: 0, kind: 'invalid_request', apiMessage: `invalid shop language "${options.language}"`, retryable: false });
    }
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.secrets = [options.apiKey, options.apiSecret];
    const store = options.budgetStore ?? 'process';
    this.budget = options.ownBudget
      ?? (store === 'process' ? budgetFor(this.base, options.apiKey, options.budget) : sharedBudgetFor(store.db, this.base, options.apiKey, options.budget, { connectionId: store.connectionId }));
    this.agents = [new http.Agent({ keepAlive: true, maxSockets: 16 }), new https.Agent({ keepAlive: true, maxSockets: 16 })];
    this.http = axios.create({
      httpAgent: this.agents[0],
      httpsAgent: this.agents[1],
      auth: { username: options.apiKey, password: options.apiSecret },
      maxRedirects: 0,
      timeout: this.timeoutMs,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
    });
  }

  close(): void {
    for (const a of this.agents) a.destroy();
  }

  /** One API call: waits for the budget, sends, feeds the answer's headers back, unwraps or throws. */
  async call(method: string, resource: string, opts: CallOptions = {}): Promise<Json> {
    const query = Object.entries(opts.query ?? {}).filter(([, v]) => v !== undefined) as [string, string | number][];
    const search = new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString();
    const path = `/${this.options.language}/${resource}.json${search ? `?${search}` : ''}`;
    const signal = opts.signal ?? this.options.signal;
    const ticket = await this.budget.acquire(opts.priority ?? (method === 'GET' ? 'sync' : 'catalog'), signal);
    let res;
    noteEcomRequest(method);
    try {
      res = await this.http.request<string>({ method, url: this.base + path, signal, data: opts.body === undefined ? undefined : JSON.stringify(opts.body), headers: opts.body === undefined ? {} : { 'Content-Type': 'application/json' } });
    } catch (err) {
      ticket.done(undefined);
      throw classifyEcomTransport(method, path, err, this.timeoutMs, this.secrets);
    }
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k.toLowerCase(), v === undefined || v === null ? undefined : String(v)]));
    let body: unknown = res.data;
    try {
      body = res.data ? JSON.parse(res.data) : {};
    } catch {
      // not JSON: classified below
    }
    const envelope = errorEnvelope(body);
    const limited = res.status === 429 || envelope?.code === 429;
    const retryAfterMs = limited ? this.retryAfterMs(headers['retry-after']) : undefined;
    ticket.done(parseRateLimitHeaders(headers, Date.now(), this.budget.limits.timeScale), retryAfterMs);
    if (res.status < 200 || res.status >= 300 || envelope) {
      const err = classifyEcomFailure({ method, path, status: res.status, body, retryAfter: headers['retry-after'], secrets: this.secrets });
      throw retryAfterMs !== undefined ? new EcomApiError({ ...err, retryAfterMs }) : err;
    }
    if (typeof body !== 'object' || body === null) {
      if (method === 'DELETE') return {};
      throw new EcomApiError({ method, path, status: res.status, kind: 'bad_response', apiMessage: 'answer is not JSON', retryable: true });
    }
    return body as Json;
  }

  /** Retry-After in API seconds (scaled like the windows) or as an HTTP date; 1 API second when absent. */
  private retryAfterMs(value: string | undefined): number {
    const scale = this.budget.limits.timeScale;
    if (value !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000 * scale;
    return parseRetryAfter(value) ?? 1000 * scale;
  }

  private async one<T>(method: string, resource: string, key: string, map: (j: Json) => T, opts: CallOptions = {}): Promise<T> {
    const body = await this.call(method, resource, opts);
    const inner = body[key];
    if (typeof inner !== 'object' || inner === null) throw new EcomApiError({ method, path: resource, status: 200, kind: 'bad_response', apiMessage: `answer has no "${key}"`, retryable: true });
    return map(inner as Json);
  }

  private async many<T>(resource: string, key: string, map: (j: Json) => T, query: EcomListQuery = {}, priority?: EcomPriority): Promise<T[]> {
    if (query.limit !== undefined && query.limit > ECOM_MAX_LIMIT) throw new EcomApiError({ method: 'GET', path: resource, status: 0, kind: 'invalid_request', apiMessage: `limit is at most ${ECOM_MAX_LIMIT}`, retryable: false });
    const body = await this.call('GET', resource, { query, priority });
    const list = body[key];
    if (!Array.isArray(list)) throw new EcomApiError({ method: 'GET', path: resource, status: 200, kind: 'bad_response', apiMessage: `answer has no "${key}" list`, retryable: true });
    return list.map((x) => map(x as Json));
  }

  /** Every item, by since_id cursor in pages of 250 (no pagination headers: a short page is the end). */
  private async all<T extends { id: number }>(resource: string, key: string, map: (j: Json) => T, query: EcomListQuery = {}): Promise<T[]> {
    const out: T[] = [];
    let since = query.since_id ?? 0;
    for (;;) {
      const page = await this.many(resource, key, map, { ...query, since_id: since, limit: ECOM_MAX_LIMIT });
      out.push(...page);
      if (page.length < ECOM_MAX_LIMIT) return out;
      since = Math.max(...page.map((x) => x.id));
    }
  }

  private async count(resource: string, query: EcomListQuery = {}): Promise<number> {
    const body = await this.call('GET', `${resource}/count`, { query });
    const n = Number(body.count);
    if (!Number.isFinite(n)) throw new EcomApiError({ method: 'GET', path: resource, status: 200, kind: 'bad_response', apiMessage: 'answer has no count', retryable: true });
    return n;
  }

  readonly products = {
    list: (q?: EcomListQuery) => this.many('products', 'products', toProduct, q),
    listAll: (q?: EcomListQuery) => this.all('products', 'products', toProduct, q),
    count: (q?: EcomListQuery) => this.count('products', q),
    get: (id: number) => this.one('GET', `products/${id}`, 'product', toProduct),
    /** The shop adds one default variant: read it with variants.list({product: id}). */
    create: (w: EcomProductWrite, priority?: EcomPriority) => this.one('POST', 'products', 'product', toProduct, { body: { product: w }, priority }),
    update: (id: number, w: EcomProductWrite, priority?: EcomPriority) => this.one('PUT', `products/${id}`, 'product', toProduct, { body: { product: w }, priority }),
    delete: async (id: number, priority?: EcomPriority) => void (await this.call('DELETE', `products/${id}`, { priority })),
  };

  readonly variants = {
    list: (q?: EcomListQuery & { product?: number }) => this.many('variants', 'variants', toVariant, q),
    listAll: (q?: EcomListQuery & { product?: number }) => this.all('variants', 'variants', toVariant, q),
    count: (q?: EcomListQuery & { product?: number }) => this.count('variants', q),
    get: (id: number) => this.one('GET', `variants/${id}`, 'variant', toVariant),
    create: (w: EcomVariantWrite & { product: number; title: string }, priority?: EcomPriority) => this.one('POST', 'variants', 'variant', toVariant, { body: { variant: w }, priority }),
    /** Stock-only writes should pass priority 'stock' so they overtake catalog edits. */
    update: (id: number, w: EcomVariantWrite, priority?: EcomPriority) => this.one('PUT', `variants/${id}`, 'variant', toVariant, { body: { variant: w }, priority }),
    delete: async (id: number, priority?: EcomPriority) => void (await this.call('DELETE', `variants/${id}`, { priority })),
  };

  readonly brands = {
    list: (q?: EcomListQuery) => this.many('brands', 'brands', toBrand, q),
    listAll: (q?: EcomListQuery) => this.all('brands', 'brands', toBrand, q),
    get: (id: number) => this.one('GET', `brands/${id}`, 'brand', toBrand),
    create: (title: string, priority?: EcomPriority): Promise<EcomBrand> => this.one('POST', 'brands', 'brand', toBrand, { body: { brand: { title } }, priority }),
    delete: async (id: number) => void (await this.call('DELETE', `brands/${id}`)),
  };

  readonly images = {
    list: (productId: number): Promise<EcomImage[]> => this.many(`products/${productId}/images`, 'productImages', toImage),
    create: (productId: number, upload: EcomImageUpload, priority?: EcomPriority) => this.one('POST', `products/${productId}/images`, 'productImage', toImage, { body: { productImage: upload }, priority }),
    delete: async (productId: number, imageId: number, priority?: EcomPriority) => void (await this.call('DELETE', `products/${productId}/images/${imageId}`, { priority })),
  };

  readonly orders = {
    list: (q?: EcomListQuery): Promise<EcomOrder[]> => this.many('orders', 'orders', toOrder, q, 'orders'),
    listAll: (q?: EcomListQuery) => this.all('orders', 'orders', toOrder, q),
    count: (q?: EcomListQuery) => this.count('orders', q),
    get: (id: number) => this.one('GET', `orders/${id}`, 'order', toOrder, { priority: 'orders' }),
    products: (orderId: number): Promise<EcomOrderProduct[]> => this.many(`orders/${orderId}/products`, 'orderProducts', toOrderProduct, {}, 'orders'),
    update: (id: number, w: { status?: string; paymentStatus?: string; shipmentStatus?: string; memo?: string }) => this.one('PUT', `orders/${id}`, 'order', toOrder, { body: { order: w }, priority: 'orders' }),
  };

  readonly webhooks = {
    list: (): Promise<EcomWebhook[]> => this.many('webhooks', 'webhooks', toWebhook),
    create: (w: EcomWebhookWrite) => this.one('POST', 'webhooks', 'webhook', toWebhook, { body: { webhook: w } }),
    delete: async (id: number) => void (await this.call('DELETE', `webhooks/${id}`)),
  };
}
