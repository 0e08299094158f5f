// WooCommerce REST v3 client for activities. No retries here: every failure is thrown as a
// classified WooApiError and Temporal decides whether to run the activity again.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { WOO_BATCH_LIMIT, batchItemCount, chunk } from './batch';
import { WooApiError, classifyHttpFailure, classifyTransportFailure, stripAuthParams } from './errors';
import { instrumentShopRequests } from './request-metrics';
import { type OAuth1SignatureMethod, type QueryPair, rawUrlEncode, signOAuth1 } from './oauth1';
import type {
  WooBatchRequest,
  WooBatchResponse,
  WooListParams,
  WooListResult,
  WooOrder,
  WooOrderCreate,
  WooOrderListParams,
  WooOrderNote,
  WooOrderNoteListParams,
  WooOrderNoteWrite,
  WooOrderWrite,
  WooProduct,
  WooProductListParams,
  WooProductWrite,
  WooQueryValue,
  WooRefund,
  WooRefundWrite,
  WooVariation,
  WooVariationListParams,
  WooVariationWrite,
} from './types';

export type WooAuthMode = 'auto' | 'basic' | 'oauth1';

export interface WooClientOptions {
  /** Store home URL, possibly with a sub-path (https://shop.example/store). */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  /** Deadline for one whole request, answer included. Default 30000. */
  timeoutMs?: number;
  /** auto: Basic auth over https, OAuth 1.0a over http (WooCommerce ignores Basic auth over http). */
  authMode?: WooAuthMode;
  /** Default HMAC-SHA256. */
  signatureMethod?: OAuth1SignatureMethod;
  userAgent?: string;
  /** Keep-alive connections per host. Default 16. */
  maxSockets?: number;
  /** The connection id the request metrics carry; default the store's host. */
  connectionId?: string;
}

export interface WooWebhook {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  topic: string;
  delivery_url: string;
}

export const WOO_API_PREFIX = '/wp-json/wc/v3';
export const WOO_MAX_PER_PAGE = 100;
/** SKUs per `?sku=` lookup; the joined list is also kept short enough for common URL limits. */
export const SKU_LOOKUP_CHUNK = 100;
const SKU_LOOKUP_MAX_CHARS = 6000;

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Query = Record<string, WooQueryValue>;

interface WooResponse {
  data: unknown;
  headers: Record<string, string | undefined>;
}

export function resolveAuthMode(baseUrl: string, mode: WooAuthMode = 'auto'): 'basic' | 'oauth1' {
  if (mode !== 'auto') return mode;
  return new URL(baseUrl).protocol === 'https:' ? 'basic' : 'oauth1';
}

function normalizeBaseUrl(baseUrl: string): string {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new TypeError(`WooCommerce baseUrl is not a valid URL: ${stripAuthParams(baseUrl)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new TypeError(`WooCommerce baseUrl must be http(s), got ${u.protocol}`);
  }
  if (u.search || u.hash || u.username || u.password) {
    throw new TypeError('WooCommerce baseUrl must be the store home URL without query, fragment or credentials');
  }
  const path = u.pathname.replace(/\/+$/, '').replace(/\/wp-json(\/wc\/v3)?$/, '');
  return `${u.protocol}//${u.host}${path}`;
}

function toQueryPairs(query: Query | undefined): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    pairs.push([key, Array.isArray(value) ? value.map(String).join(',') : String(value)]);
  }
  return pairs;
}

function encodeQuery(pairs: readonly QueryPair[]): string {
  return pairs.map(([k, v]) => `${rawUrlEncode(k)}=${rawUrlEncode(v)}`).join('&');
}

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function headerInt(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export class WooClient {
  /** Store home URL + /wp-json/wc/v3. */
  readonly apiBase: string;
  readonly authMode: 'basic' | 'oauth1';
  private readonly http: AxiosInstance;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly timeoutMs: number;
  private requests = 0;

  constructor(private readonly options: WooClientOptions) {
    if (!options.consumerKey || !options.consumerSecret) {
      throw new TypeError('WooCommerce consumerKey and consumerSecret are required');
    }
    const home = normalizeBaseUrl(options.baseUrl);
    this.apiBase = home + WOO_API_PREFIX;
    this.authMode = resolveAuthMode(home, options.authMode);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    if (!(this.timeoutMs > 0)) throw new TypeError(`timeoutMs must be > 0, got ${options.timeoutMs}`);
    const maxSockets = options.maxSockets ?? 16;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
    this.http = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // A redirect would drop the signature and could leak Basic credentials to another host.
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
    });
    instrumentShopRequests(this.http, options.connectionId ?? new URL(home).host);
  }

  /** HTTP requests sent so far (for benchmarks). */
  get requestCount(): number {
    return this.requests;
  }

  resetRequestCount(): void {
    this.requests = 0;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  // ---- products ----

  async getProduct(id: number): Promise<WooProduct> {
    return this.one<WooProduct>('GET', `/products/${this.id(id, 'GET', '/products')}`);
  }

  async listProducts(params: WooProductListParams = {}): Promise<WooListResult<WooProduct>> {
    return this.listPage<WooProduct>('/products', params);
  }

  /**
   * Products and variations holding any of these SKUs (WooCommerce's `sku` filter is exact and also
   * searches variations, returned in the product shape with type "variation" and parent_id).
   * Matching follows the store's DB collation, usually case-insensitive, so results are kept when
   * their SKU equals a requested one ignoring case.
   */
  async findBySkus(skus: readonly string[]): Promise<Array<WooProduct | WooVariation>> {
    const wanted = [...new Set(skus.filter((s) => s !== ''))];
    // WooCommerce splits the filter on commas (and also tries the whole string), so a SKU holding a
    // comma is looked up alone and the extra matches are filtered out below.
    const lists = [...this.skuChunks(wanted.filter((s) => !s.includes(','))), ...wanted.filter((s) => s.includes(',')).map((s) => [s])];
    const wantedKeys = new Set(wanted.map((s) => s.toLowerCase()));
    const found = new Map<number, WooProduct>();
    for (const list of lists) {
      const items = await this.listAllPages<WooProduct>('/products', { sku: list.join(','), per_page: WOO_MAX_PER_PAGE });
      for (const item of items) {
        if (typeof item.sku === 'string' && wantedKeys.has(item.sku.toLowerCase())) found.set(item.id, item);
      }
    }
    return [...found.values()];
  }

  async createProduct(body: WooProductWrite): Promise<WooProduct> {
    return this.one<WooProduct>('POST', '/products', { body });
  }

  async updateProduct(id: number, body: WooProductWrite): Promise<WooProduct> {
    return this.one<WooProduct>('PUT', `/products/${this.id(id, 'PUT', '/products')}`, { body });
  }

  /** Without force the product is moved to the trash; with force it is deleted for good. */
  async deleteProduct(id: number, opts: { force?: boolean } = {}): Promise<WooProduct> {
    const path = `/products/${this.id(id, 'DELETE', '/products')}`;
    return this.one<WooProduct>('DELETE', path, { query: { force: opts.force ? true : undefined } });
  }

  async batchProducts(req: WooBatchRequest<WooProductWrite>): Promise<WooBatchResponse<WooProduct>> {
    return this.batch<WooProduct>('/products/batch', req);
  }

  // ---- variations ----

  /**
   * A write that changes nothing: an empty products batch. WooCommerce checks the key's write
   * permission (401 "does not have write permissions") and the user's right to batch (403
   * woocommerce_rest_cannot_batch) before it looks at the body, so this tells a read-only key
   * from a read/write one without writing anything (test/fixtures/woocommerce-real/connection-check.json).
   */
  async probeWritePermission(): Promise<unknown> {
    return (await this.send('POST', '/products/batch', { body: {} })).data;
  }

  async listVariations(productId: number, params: WooVariationListParams = {}): Promise<WooListResult<WooVariation>> {
    return this.listPage<WooVariation>(this.variationsPath(productId, 'GET'), params);
  }

  /** Every variation of a product, following the pages. */
  async listAllVariations(productId: number, params: WooVariationListParams = {}): Promise<WooVariation[]> {
    return this.listAllPages<WooVariation>(this.variationsPath(productId, 'GET'), { per_page: WOO_MAX_PER_PAGE, ...params });
  }

  async getVariation(productId: number, variationId: number): Promise<WooVariation> {
    return this.one<WooVariation>('GET', this.variationPath(productId, variationId, 'GET'));
  }

  async createVariation(productId: number, body: WooVariationWrite): Promise<WooVariation> {
    return this.one<WooVariation>('POST', this.variationsPath(productId, 'POST'), { body });
  }

  async updateVariation(productId: number, variationId: number, body: WooVariationWrite): Promise<WooVariation> {
    return this.one<WooVariation>('PUT', this.variationPath(productId, variationId, 'PUT'), { body });
  }

  async deleteVariation(productId: number, variationId: number, opts: { force?: boolean } = {}): Promise<WooVariation> {
    const path = this.variationPath(productId, variationId, 'DELETE');
    return this.one<WooVariation>('DELETE', path, { query: { force: opts.force ? true : undefined } });
  }

  async batchVariations(productId: number, req: WooBatchRequest<WooVariationWrite>): Promise<WooBatchResponse<WooVariation>> {
    return this.batch<WooVariation>(`${this.variationsPath(productId, 'POST')}/batch`, req);
  }

  // ---- orders ----

  /** Use `dates_are_gmt: true` with UTC values for incremental sync; the default compares site-local time. */
  async listOrders(params: WooOrderListParams = {}): Promise<WooListResult<WooOrder>> {
    return this.listPage<WooOrder>('/orders', params);
  }

  async getOrder(id: number): Promise<WooOrder> {
    return this.one<WooOrder>('GET', `/orders/${this.id(id, 'GET', '/orders')}`);
  }

  async batchOrders(req: WooBatchRequest<WooOrderWrite>): Promise<WooBatchResponse<WooOrder>> {
    return this.batch<WooOrder>('/orders/batch', req);
  }

  async updateOrder(id: number, body: WooOrderWrite): Promise<WooOrder> {
    return this.one<WooOrder>('PUT', `/orders/${this.id(id, 'PUT', '/orders')}`, { body });
  }

  /** Creates an order (tests and contract cases place orders this way; possync itself never does). */
  async createOrder(body: WooOrderCreate): Promise<WooOrder> {
    return this.one<WooOrder>('POST', '/orders', { body });
  }

  /** An order's refunds, newest first, each with its refunded lines (negative quantities). */
  async listOrderRefunds(orderId: number): Promise<WooRefund[]> {
    const path = `/orders/${this.id(orderId, 'GET', '/orders')}/refunds`;
    return this.expectArray<WooRefund>('GET', path, (await this.send('GET', path, { query: { per_page: 100 } })).data);
  }

  /** `api_refund` and `api_restock` default to true in WooCommerce; a payment refund needs a gateway that supports it. */
  async createOrderRefund(orderId: number, body: WooRefundWrite): Promise<WooRefund> {
    const path = `/orders/${this.id(orderId, 'POST', '/orders')}/refunds`;
    return this.one<WooRefund>('POST', path, { body });
  }

  async listOrderNotes(orderId: number, params: WooOrderNoteListParams = {}): Promise<WooOrderNote[]> {
    const path = `/orders/${this.id(orderId, 'GET', '/orders')}/notes`;
    return this.expectArray<WooOrderNote>('GET', path, (await this.send('GET', path, { query: params })).data);
  }

  async createOrderNote(orderId: number, body: WooOrderNoteWrite): Promise<WooOrderNote> {
    const path = `/orders/${this.id(orderId, 'POST', '/orders')}/notes`;
    return this.one<WooOrderNote>('POST', path, { body });
  }

  /** Subscribes `delivery_url` to a topic; WooCommerce pings it at once and signs deliveries with `secret`. */
  async createWebhook(body: { name: string; topic: string; delivery_url: string; secret: string; status?: 'active' | 'paused' }): Promise<{ id: number; status: string }> {
    return this.one<{ id: number; status: string }>('POST', '/webhooks', { body });
  }

  /** Every webhook of the store, whatever its status (the secret is never returned). */
  async listWebhooks(): Promise<WooWebhook[]> {
    return this.listAllPages<WooWebhook>('/webhooks', { per_page: WOO_MAX_PER_PAGE, status: 'all' } as WooListParams);
  }

  /** Re-activates, re-targets or re-keys a webhook; WooCommerce keeps its failure count (see webhook-health). */
  async updateWebhook(id: number, body: { name?: string; status?: 'active' | 'paused' | 'disabled'; delivery_url?: string; secret?: string }): Promise<WooWebhook> {
    return this.one<WooWebhook>('PUT', `/webhooks/${this.id(id, 'PUT', '/webhooks')}`, { body });
  }

  async deleteWebhook(id: number): Promise<WooWebhook> {
    return this.one<WooWebhook>('DELETE', `/webhooks/${this.id(id, 'DELETE', '/webhooks')}`, { query: { force: true } });
  }

  // ---- plumbing ----

  private variationsPath(productId: number, method: HttpMethod): string {
    return `/products/${this.id(productId, method, '/products')}/variations`;
  }

  private variationPath(productId: number, variationId: number, method: HttpMethod): string {
    const base = this.variationsPath(productId, method);
    return `${base}/${this.id(variationId, method, base)}`;
  }

  private id(value: number, method: HttpMethod, path: string): number {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw this.localError(method, path, `id must be a positive integer, got ${String(value)}`);
    }
    return value;
  }

  private localError(method: HttpMethod, path: string, message: string): WooApiError {
    return new WooApiError({
      method,
      path,
      status: 0,
      code: 'possync_invalid_request',
      wooMessage: message,
      retryable: false,
      kind: 'invalid_request',
    });
  }

  private *skuChunks(skus: readonly string[]): Generator<string[]> {
    for (const part of chunk(skus, SKU_LOOKUP_CHUNK)) {
      let current: string[] = [];
      let chars = 0;
      for (const sku of part) {
        const len = rawUrlEncode(sku).length + 3; // encoded comma
        if (current.length > 0 && chars + len > SKU_LOOKUP_MAX_CHARS) {
          yield current;
          current = [];
          chars = 0;
        }
        current.push(sku);
        chars += len;
      }
      if (current.length > 0) yield current;
    }
  }

  private async batch<T>(path: string, req: WooBatchRequest<unknown>): Promise<WooBatchResponse<T>> {
    const count = batchItemCount(req);
    if (count > WOO_BATCH_LIMIT) {
      throw this.localError(
        'POST',
        path,
        `batch holds ${count} items (create ${req.create?.length ?? 0}, update ${req.update?.length ?? 0}, ` +
          `delete ${req.delete?.length ?? 0}); WooCommerce accepts at most ${WOO_BATCH_LIMIT} per request, split it with chunk()`,
      );
    }
    if (count === 0) return {};
    return this.one<WooBatchResponse<T>>('POST', path, { body: req });
  }

  private checkPaging(path: string, params: WooListParams): void {
    const { per_page: perPage, page } = params;
    if (perPage !== undefined && (!Number.isInteger(perPage) || perPage < 1 || perPage > WOO_MAX_PER_PAGE)) {
      throw this.localError('GET', path, `per_page must be an integer between 1 and ${WOO_MAX_PER_PAGE}, got ${perPage}`);
    }
    if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
      throw this.localError('GET', path, `page must be an integer >= 1, got ${page}`);
    }
  }

  private async listPage<T>(path: string, params: WooListParams): Promise<WooListResult<T>> {
    this.checkPaging(path, params);
    const { data, headers } = await this.send('GET', path, { query: params });
    const items = this.expectArray<T>('GET', path, data);
    const page = params.page ?? 1;
    const perPage = params.per_page ?? 10;
    const seen = (page - 1) * perPage + items.length;
    // Some proxies strip X-WP-*; then assume one more page whenever this one is full.
    const total = headerInt(headers['x-wp-total']) ?? (items.length >= perPage ? seen + 1 : seen);
    const totalPages =
      headerInt(headers['x-wp-totalpages']) ?? (items.length >= perPage ? page + 1 : items.length > 0 ? page : page - 1);
    return { items, total, totalPages };
  }

  private async listAllPages<T>(path: string, params: WooListParams): Promise<T[]> {
    const all: T[] = [];
    for (let page = params.page ?? 1; ; page++) {
      const result = await this.listPage<T>(path, { ...params, page });
      all.push(...result.items);
      if (page >= result.totalPages || result.items.length === 0) return all;
    }
  }

  /** A request whose answer must be one JSON object (a resource). */
  private async one<T>(method: HttpMethod, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
    const { data } = await this.send(method, path, opts);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw this.badResponse(method, path, 'expected a JSON object');
    }
    return data as T;
  }

  private expectArray<T>(method: HttpMethod, path: string, data: unknown): T[] {
    if (!Array.isArray(data)) throw this.badResponse(method, path, 'expected a JSON array');
    return data as T[];
  }

  private badResponse(method: HttpMethod, path: string, message: string): WooApiError {
    return new WooApiError({
      method,
      path,
      status: 200,
      code: 'possync_bad_response',
      wooMessage: `${message}; check the store URL and that pretty permalinks are enabled`,
      retryable: false,
      kind: 'bad_response',
    });
  }

  private async send(method: HttpMethod, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<WooResponse> {
    const query = toQueryPairs(opts.query);
    const displayPath = stripAuthParams(query.length ? `${path}?${encodeQuery(query)}` : path);
    const shownPath = displayPath.length > 300 ? `${displayPath.slice(0, 300)}…` : displayPath;
    const secrets = [this.options.consumerKey, this.options.consumerSecret];
    const url = this.apiBase + path;

    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.options.userAgent ?? 'possync-woocommerce-client/0.1',
    };
    let wireQuery = query;
    if (this.authMode === 'basic') {
      const token = Buffer.from(`${this.options.consumerKey}:${this.options.consumerSecret}`).toString('base64');
      headers.Authorization = `Basic ${token}`;
    } else {
      const oauth = signOAuth1({
        method,
        url,
        query,
        consumerKey: this.options.consumerKey,
        consumerSecret: this.options.consumerSecret,
        ...(this.options.signatureMethod ? { signatureMethod: this.options.signatureMethod } : {}),
      });
      wireQuery = [...query, ...oauth];
    }
    let data: string | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      data = JSON.stringify(opts.body);
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    this.requests++;
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.request<unknown>({
        method,
        url: wireQuery.length ? `${url}?${encodeQuery(wireQuery)}` : url,
        headers,
        data,
        signal: controller.signal,
      });
    } catch (error) {
      throw classifyTransportFailure({ method, path: shownPath, error, timedOut, timeoutMs: this.timeoutMs, secrets });
    } finally {
      clearTimeout(timer);
    }

    const responseHeaders = flattenHeaders(response.headers);
    const text = typeof response.data === 'string' ? response.data : '';
    if (response.status < 200 || response.status >= 300) {
      throw classifyHttpFailure({
        method,
        path: shownPath,
        status: response.status,
        statusText: response.statusText,
        headers: responseHeaders,
        body: text,
        secrets,
      });
    }
    const body = text.replace(/^\uFEFF/, '').trim();
    try {
      return { data: JSON.parse(body) as unknown, headers: responseHeaders };
    } catch {
      throw this.badResponse(method, shownPath, body === '' ? `HTTP ${response.status} answer is empty` : `HTTP ${response.status} answer is not JSON`);
    }
  }
}
