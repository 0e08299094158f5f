// WP_REST_Server order of checks: authentication error, key permission by method, route match,
// JSON body, argument validation, permission callback, handler; then `_fields`.
import { type AuthOutcome, checkKeyPermission } from './auth';
import type { Catalog } from './catalog';
import { WpError, invalidJson, noRoute } from './errors';
import { filterFields } from './fields';
import type { OrderService } from './order-service';
import { mergedParams, type ApiRequest } from './request';
import { type ApiResult, type HandlerContext, type RouteMatch, allowHeader, endpointFor } from './router';
import { validateArgs } from './schema-validate';
import type { Site } from './site';
import type { StatsRecorder } from './stats';
import type { Store } from './store';
import type { WebhookHub } from './webhook-hub';

export interface DispatchInput {
  api: ApiRequest;
  match: RouteMatch | undefined;
  auth: AuthOutcome;
  site: Site;
  now: number;
  store: Store;
  catalog: Catalog;
  orders: OrderService;
  webhooks: WebhookHub;
  stats: StatsRecorder;
}

export interface Dispatched {
  result: ApiResult;
  /** The matched route's methods, for the Allow header. */
  allow?: string;
  authenticated: boolean;
}

const errorResult = (err: WpError): ApiResult => ({ status: err.status, body: err.toBody() });

export function dispatch(input: DispatchInput): Dispatched {
  const { api, match, auth } = input;
  if (auth.error) return { result: errorResult(auth.error), authenticated: false };
  const authenticated = auth.user !== undefined;
  if (auth.user) {
    const denied = checkKeyPermission(auth.user, api.method);
    if (denied) return { result: errorResult(denied), authenticated };
  }
  const endpoint = match && endpointFor(match.route, api.method);
  if (!match || !endpoint) return { result: errorResult(noRoute()), authenticated };
  const params = mergedParams(api, match.urlParams);
  const ctx: HandlerContext = {
    api,
    params,
    site: input.site,
    env: { store: input.store, now: input.now, tzOffsetMinutes: input.site.tzOffsetMinutes },
    store: input.store,
    catalog: input.catalog,
    orders: input.orders,
    webhooks: input.webhooks,
    stats: input.stats,
    authenticated,
    shape: (context) => ({ store: input.store, site: input.site, context, now: input.now }),
  };
  const allow = allowHeader(match.route, ctx);
  if (api.jsonInvalid) return { result: errorResult(invalidJson()), allow, authenticated };
  try {
    const invalid = endpoint.args ? validateArgs(params, endpoint.args) : undefined;
    if (invalid) return { result: errorResult(invalid), allow, authenticated };
    const forbidden = endpoint.permission(ctx);
    if (forbidden) return { result: errorResult(forbidden), allow, authenticated };
    const result = endpoint.handle(ctx);
    return { result: { ...result, body: filterFields(result.body, params._fields) }, allow, authenticated };
  } catch (err) {
    if (err instanceof WpError) return { result: errorResult(err), allow, authenticated };
    throw err;
  }
}
