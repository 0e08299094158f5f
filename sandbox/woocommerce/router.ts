// Routes of the REST API: a path pattern, its endpoints (one per set of methods) and what each
// needs before its handler runs (argument schema, permission).
import type { Catalog } from './catalog';
import type { WpError } from './errors';
import type { ApiRequest } from './request';
import type { OrderService } from './order-service';
import type { ArgSchema } from './schema-validate';
import type { RestContext, ShapeContext } from './shape-common';
import type { Site } from './site';
import type { StatsRecorder } from './stats';
import type { Store } from './store';
import type { WebhookHub } from './webhook-hub';
import type { Params, WriteEnv } from './write-common';

export interface HandlerContext {
  api: ApiRequest;
  /** Merged request params: JSON body > form body > query > URL params. */
  params: Params;
  site: Site;
  env: WriteEnv;
  store: Store;
  catalog: Catalog;
  orders: OrderService;
  webhooks: WebhookHub;
  stats: StatsRecorder;
  authenticated: boolean;
  shape(context: RestContext): ShapeContext;
}

export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Work the request still does before it answers (e.g. the webhook ping); never rejects. */
  settle?: Promise<unknown>;
}

export interface Endpoint {
  methods: readonly string[];
  args?: Record<string, ArgSchema>;
  /** The permission_callback: an error for anonymous requests (401). */
  permission(ctx: HandlerContext): WpError | undefined;
  handle(ctx: HandlerContext): ApiResult;
  /** Objects this request writes (service time); reads write none. */
  objects?(params: Params): number;
}

export interface Route {
  /** For stats, relative to /wc/v3, e.g. '/products/{product_id}/variations/batch'. */
  template: string;
  pattern: RegExp;
  endpoints: Endpoint[];
  /** The Allow header of the real route when the sandbox implements only part of it. */
  allow?: string;
}

export interface RouteMatch {
  route: Route;
  urlParams: Record<string, string>;
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The endpoint serving `method`; HEAD is served by the GET endpoint, as in WordPress. */
export function endpointFor(route: Route, method: string): Endpoint | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return route.endpoints.find((e) => e.methods.includes(m));
}

export function findRoute(routes: readonly Route[], path: string): RouteMatch | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, urlParams: { ...(m.groups ?? {}) } };
  }
  return undefined;
}

/**
 * rest_send_allow_header: the methods whose permission check passes for this request (none for
 * an anonymous list or create, so no header at all).
 */
export function allowHeader(route: Route, ctx: HandlerContext): string | undefined {
  const permitted = route.endpoints.filter((e) => e.permission(ctx) === undefined);
  if (permitted.length === 0) return undefined;
  if (route.allow) return route.allow;
  const methods = new Set(permitted.flatMap((e) => e.methods));
  return METHOD_ORDER.filter((m) => methods.has(m)).join(', ');
}

/** A route under /wc/v3; `{name}` segments are numeric ids. Matching ignores case, like WordPress. */
export function wcRoute(template: string, endpoints: Endpoint[], allow?: string): Route {
  const source = template.replace(/\{(\w+)\}/g, '(?<$1>[\\d]+)');
  return { template, pattern: new RegExp(`^/wc/v3${source}$`, 'i'), endpoints, allow };
}

export const READ = ['GET'] as const;
export const CREATE = ['POST'] as const;
export const EDIT = ['POST', 'PUT', 'PATCH'] as const;
export const DELETE = ['DELETE'] as const;
