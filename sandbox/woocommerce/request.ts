// An incoming HTTP request read the way WordPress reads it: the REST route (from /wp-json/... or
// ?rest_route=...), $_GET, $_POST and the JSON body.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { type PhpMap, parsePhpQuery, phpMapToObject } from './php-query';

export interface ApiRequest {
  method: string;
  /** Request target as sent (path and query). */
  rawUrl: string;
  /** Path without query, undecoded (REQUEST_URI's path). */
  rawPath: string;
  /** REST route, e.g. '/wc/v3/products/10', without trailing slash. */
  route: string;
  /** WooCommerce 8.9 only authenticates keys when the URI contains 'wp-json/wc/' (or 'wp-json/wc-'). */
  keyAuthEligible: boolean;
  /** $_GET */
  query: PhpMap;
  /** $_POST: form fields of a POST body (signed by OAuth like query params). */
  form: PhpMap | undefined;
  /** Body params: the JSON object, or form fields for any method. */
  body: Record<string, unknown>;
  jsonInvalid: boolean;
  headers: IncomingHttpHeaders;
}

/** wp_is_json_media_type */
function isJson(contentType: string | undefined): boolean {
  return !!contentType && /(^|\s|,)application\/([\w!#$&\-^.+]+\+)?json(\+oembed)?($|\s|;|,)/i.test(contentType);
}

function isForm(contentType: string | undefined): boolean {
  return !!contentType && /^application\/x-www-form-urlencoded/i.test(contentType);
}

function readBodyParams(method: string, contentType: string | undefined, raw: Buffer): Pick<ApiRequest, 'form' | 'body' | 'jsonInvalid'> {
  const text = raw.toString('utf8');
  if (isJson(contentType)) {
    if (text.trim() === '') return { form: undefined, body: {}, jsonInvalid: false };
    try {
      const parsed: unknown = JSON.parse(text);
      const body = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
      return { form: undefined, body, jsonInvalid: false };
    } catch {
      return { form: undefined, body: {}, jsonInvalid: true };
    }
  }
  if (isForm(contentType)) {
    const fields = parsePhpQuery(text);
    return { form: method === 'POST' ? fields : undefined, body: phpMapToObject(fields), jsonInvalid: false };
  }
  // Any other body (e.g. JSON sent as text/plain) is ignored, as WordPress does.
  return { form: undefined, body: {}, jsonInvalid: false };
}

function normalizeRoute(route: string): string {
  const trimmed = route.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** undefined when the request is not for the REST API (a page of the shop). */
export function parseApiRequest(req: IncomingMessage, raw: Buffer): ApiRequest | undefined {
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = parsePhpQuery(q === -1 ? '' : rawUrl.slice(q + 1));
  let route: string;
  if (rawPath === '/wp-json' || rawPath.startsWith('/wp-json/')) {
    route = normalizeRoute(rawPath.slice('/wp-json'.length));
  } else if ((rawPath === '/' || rawPath === '/index.php') && typeof query.get('rest_route') === 'string') {
    route = normalizeRoute(query.get('rest_route') as string);
  } else {
    return undefined;
  }
  const method = (req.method ?? 'GET').toUpperCase();
  return {
    method,
    rawUrl,
    rawPath,
    route,
    keyAuthEligible: rawUrl.includes('wp-json/wc/') || rawUrl.includes('wp-json/wc-'),
    query,
    headers: req.headers,
    ...readBodyParams(method, req.headers['content-type'], raw),
  };
}

/** WP_REST_Request param order: JSON body, then form body, then query, then the route's URL params. */
export function mergedParams(api: ApiRequest, urlParams: Record<string, string>): Record<string, unknown> {
  return { ...urlParams, ...phpMapToObject(api.query), ...api.body };
}
