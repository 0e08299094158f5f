// The request pipeline: stats, faults, a worker slot, service time, then authentication and the
// REST dispatch, answered with WordPress headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiKey, authenticate, requestIsSsl } from './auth';
import { Catalog } from './catalog';
import { nowSeconds } from './dates';
import { dispatch } from './dispatch';
import { invalidId } from './errors';
import { type FaultDecision, FaultInjector } from './faults';
import { type HttpAnswer, readBody, send, wpJsonEncode } from './http-io';
import { prefetchImages } from './image-fetch';
import { Latency, sleep } from './latency';
import { orderNoteRoutes } from './order-notes-routes';
import { orderRefundRoutes } from './order-refunds-routes';
import { OrderService } from './order-service';
import { renderOrder } from './order-shape';
import { orderRoutes } from './orders-routes';
import { renderProduct } from './product-shape';
import { productRoutes } from './products-routes';
import { type ApiRequest, mergedParams, parseApiRequest } from './request';
import { writtenProductIds } from './write-overlaps';
import { type RouteMatch, endpointFor, findRoute } from './router';
import { siteFor, type Site } from './site';
import { StatsRecorder } from './stats';
import { serveStorefrontPage } from './storefront-page';
import { Store } from './store';
import type { LatencyOptions } from './types';
import { variationRoutes } from './variations-routes';
import { WebhookHub } from './webhook-hub';
import { webhookRoutes } from './webhooks-routes';
import { WorkerPool } from './worker-pool';
import { wpHeaders } from './wp-headers';

const ROUTES = [...productRoutes, ...variationRoutes, ...orderRoutes, ...orderNoteRoutes, ...orderRefundRoutes, ...webhookRoutes];

export interface AppConfig {
  /** host:port of the store home. */
  hostPort: string;
  assumeHttps: boolean;
  tzOffsetMinutes: number;
  keys: ApiKey[];
  latency: LatencyOptions;
  concurrency: number;
  webhookDelayMs: number;
}

/** The route relative to /wc/v3, as fault rules see it. */
function wcPath(route: string): string {
  return route.toLowerCase().startsWith('/wc/v3') ? route.slice('/wc/v3'.length) || '/' : route;
}

export class WooApp {
  readonly store = new Store();
  readonly stats = new StatsRecorder();
  readonly faults = new FaultInjector();
  readonly latency: Latency;
  readonly pool: WorkerPool;
  readonly catalog: Catalog;
  readonly webhooks: WebhookHub;
  readonly orders: OrderService;
  private readonly hung = new Set<ServerResponse>();

  constructor(private readonly config: AppConfig) {
    this.latency = new Latency(config.latency);
    this.pool = new WorkerPool(config.concurrency);
    this.webhooks = new WebhookHub({
      book: this.store.webhooks,
      payload: (resource, id) => this.payload(resource, id),
      source: () => `${this.site(false).home}/`,
      delayMs: config.webhookDelayMs,
    });
    this.catalog = new Catalog(this.store, (id) => this.stats.write(id), this.webhooks.sink);
    // Stock moved by orders is not an API write: no stats, but product webhooks fire.
    const stockCatalog = new Catalog(this.store, undefined, this.webhooks.sink);
    this.orders = new OrderService(this.store, stockCatalog, this.webhooks.sink);
  }

  /** A webhook payload: the REST GET answer (view context, plain http as a background job sees it). */
  private payload(resource: string, id: number): unknown {
    const site = this.site(false);
    if (resource === 'order') {
      const o = this.store.orderBook.get(id);
      return o ? renderOrder({ store: this.store, site, dp: 2 }, o) : invalidId('shop_order', 404).toBody();
    }
    const r = this.store.get(id);
    return r ? renderProduct({ store: this.store, site, context: 'view', now: nowSeconds() }, r) : invalidId('product', 404).toBody();
  }

  /** The plain-http view of the store, used by the state view and fault answers. */
  site(isSsl = false): Site {
    return siteFor(this.config.hostPort, isSsl, this.config.tzOffsetMinutes);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const api = parseApiRequest(req, raw);
    if (!api) {
      if (serveStorefrontPage(this.store, req, res)) return;
      this.stats.request((req.method ?? 'GET').toUpperCase(), `${(req.method ?? 'GET').toUpperCase()} (page)`);
      send(res, { status: 404, headers: { 'Content-Type': 'text/html; charset=UTF-8' }, body: '<!doctype html><title>Page not found</title>' });
      return;
    }
    const match = findRoute(ROUTES, api.route);
    this.stats.request(api.method, match ? `${api.method} ${match.route.template}` : `${api.method} (no route)`);
    const writing = this.stats.writeStarted(writtenProductIds(api, match, wcPath(api.route)));
    try {
      await this.answer(res, api, match);
    } finally {
      writing();
    }
  }

  private async answer(res: ServerResponse, api: ApiRequest, match: RouteMatch | undefined): Promise<void> {
    const fault = this.faults.decide(api.method, wcPath(api.route));
    if (fault.kind !== 'none') this.stats.fault();
    if (fault.kind === 'hang') {
      this.hold(res);
      return;
    }
    if (fault.kind === 'answer' && !fault.applyFirst) {
      send(res, this.faultAnswer(fault));
      return;
    }
    await this.pool.acquire();
    let answer: HttpAnswer;
    try {
      const preChecked = await this.slowCreate(api, match);
      const fetched = api.method === 'GET' ? undefined : await prefetchImages(api.body);
      await sleep(this.latency.serviceTimeMs(this.objectsWritten(api, match)));
      this.store.preCheckedSkus = preChecked;
      const media = this.store.media;
      const downloadsBefore = media.downloads;
      if (fetched) media.fetched = fetched;
      let processed: ReturnType<WooApp['process']>;
      try {
        processed = this.process(api, match);
      } finally {
        this.store.preCheckedSkus = undefined;
        media.fetched = new Map();
      }
      // Each image sent without an id is downloaded, while the worker waits (issue 6 point 1).
      const downloads = media.downloads - downloadsBefore;
      this.stats.imageDownloads(downloads);
      await sleep(this.latency.imageTimeMs(downloads));
      // The worker stays busy while the request finishes its own work (a webhook ping).
      if (processed.settle) await processed.settle;
      answer = processed.answer;
    } finally {
      this.pool.release();
    }
    send(res, fault.kind === 'answer' ? this.faultAnswer(fault) : answer);
  }

  /**
   * The slow-create fault: the SKUs of the request's creates are checked now, the insert happens
   * after slowCreateMs without checking them again (see FaultOptions.slowCreateMs).
   */
  private async slowCreate(api: ApiRequest, match: RouteMatch | undefined): Promise<Set<string> | undefined> {
    const ms = this.faults.slowCreateMs;
    if (ms <= 0 || api.method !== 'POST' || !match) return undefined;
    const path = wcPath(api.route);
    const params = mergedParams(api, match.urlParams);
    let bodies: unknown[];
    if (/^\/products(\/\d+\/variations)?$/.test(path)) bodies = [params];
    else if (/^\/products(\/\d+\/variations)?\/batch$/.test(path)) bodies = Array.isArray(params.create) ? params.create : [];
    else return undefined;
    if (bodies.length === 0) return undefined;
    const free = new Set<string>();
    for (const b of bodies) {
      const sku = b && typeof b === 'object' ? (b as { sku?: unknown }).sku : undefined;
      if (typeof sku === 'string' && sku.trim() !== '' && this.store.skuOwner(sku.trim(), 0) === undefined) free.add(sku.trim().toLowerCase());
    }
    await sleep(ms);
    return free;
  }

  /** Answer for an unexpected exception: WordPress's fatal-error envelope. */
  fail(res: ServerResponse, err: unknown): void {
    const body = { code: 'internal_server_error', message: `Sandbox error: ${err instanceof Error ? err.message : String(err)}`, data: { status: 500 } };
    send(res, { status: 500, headers: { 'Content-Type': 'application/json; charset=UTF-8' }, body: wpJsonEncode(body) });
  }

  /** Ends the requests held by hang faults. */
  releaseHung(): void {
    for (const res of this.hung) res.destroy();
    this.hung.clear();
  }

  private hold(res: ServerResponse): void {
    this.hung.add(res);
    res.on('close', () => this.hung.delete(res));
  }

  private objectsWritten(api: ApiRequest, match: RouteMatch | undefined): number {
    if (!match) return 0;
    const endpoint = endpointFor(match.route, api.method);
    return endpoint?.objects ? endpoint.objects(mergedParams(api, match.urlParams)) : 0;
  }

  private process(api: ApiRequest, match: RouteMatch | undefined): { answer: HttpAnswer; settle?: Promise<unknown> } {
    const isSsl = requestIsSsl(api, this.config.assumeHttps);
    const site = this.site(isSsl);
    const now = nowSeconds();
    if (api.route === '/' || api.route.toLowerCase() === '/wc/v3') return { answer: this.index(api, site) };
    const auth = authenticate(api, { keys: this.config.keys, homeUrl: site.home, nowSeconds: now / 1000, isSsl });
    const d = dispatch({ api, match, auth, site, now, store: this.store, catalog: this.catalog, orders: this.orders, webhooks: this.webhooks, stats: this.stats });
    const answer = {
      status: d.result.status,
      headers: { ...wpHeaders(site, { method: api.method, authenticated: d.authenticated, allow: d.allow }), ...d.result.headers },
      body: wpJsonEncode(d.result.body),
    };
    return { answer, settle: d.result.settle };
  }

  private index(api: ApiRequest, site: Site): HttpAnswer {
    const body = api.route === '/' ? { name: 'WooCommerce sandbox', url: site.home, home: site.home, namespaces: ['wc/v3'], routes: {} } : { namespace: 'wc/v3', routes: {} };
    return { status: 200, headers: wpHeaders(site, { method: api.method, authenticated: false }), body: wpJsonEncode(body) };
  }

  private faultAnswer(fault: Extract<FaultDecision, { kind: 'answer' }>): HttpAnswer {
    const headers = { ...wpHeaders(this.site(), { method: 'POST', authenticated: false }), ...fault.headers };
    if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
    if (typeof fault.body === 'string') {
      return { status: fault.status, headers: { ...headers, 'Content-Type': 'text/html; charset=UTF-8' }, body: fault.body };
    }
    return { status: fault.status, headers, body: wpJsonEncode(fault.body) };
  }
}
