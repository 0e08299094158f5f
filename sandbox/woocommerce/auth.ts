// WC_REST_Authentication: Basic auth or query-string keys when is_ssl(), otherwise OAuth 1.0a
// one-legged, then the key's read/write permission by HTTP method.
import crypto from 'node:crypto';
import { isNumeric } from './coerce';
import { WpError, authError } from './errors';
import { type OAuthSignatureMethod, oauthBaseUri, oauthSignatureBaseString, oauthSignature } from './oauth1';
import { type PhpMap, type PhpValue, phpUrlDecode } from './php-query';
import type { ApiRequest } from './request';
import { wcClean } from './sanitize';

export type KeyPermission = 'read' | 'write' | 'read_write';

export interface ApiKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: KeyPermission;
  /** Used nonces by timestamp, as WooCommerce stores them (one nonce per timestamp). */
  nonces: Map<string, string>;
}

export interface AuthOutcome {
  user?: ApiKey;
  /** Wins over `user`: the request is answered with it. */
  error?: WpError;
}

const NONCE_WINDOW_SECONDS = 15 * 60;
const OAUTH_REQUIRED = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];

/** PHP empty() on a request value: missing, '', '0' or an empty array. */
const emptyValue = (v: PhpValue | undefined): boolean => v === undefined || v === '' || v === '0' || (v instanceof Map && v.size === 0);

function basicCredentials(api: ApiRequest): { user: string; pass: string } | undefined {
  const header = api.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/**
 * Whether the request counts as HTTPS. With assumeHttps the sandbox behaves like the recording
 * store: requests that carry keys (Basic auth or consumer_key/consumer_secret) are treated as
 * HTTPS, others (OAuth, anonymous) as plain HTTP.
 */
export function requestIsSsl(api: ApiRequest, assumeHttps: boolean): boolean {
  if (!assumeHttps) return false;
  if (basicCredentials(api)) return true;
  return !emptyValue(api.query.get('consumer_key')) && !emptyValue(api.query.get('consumer_secret'));
}

function findKey(keys: readonly ApiKey[], consumerKey: PhpValue | undefined): ApiKey | undefined {
  if (typeof consumerKey !== 'string') return undefined;
  const ck = wcClean(consumerKey);
  return keys.find((k) => k.consumerKey === ck);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

type BasicResult = { user: ApiKey } | { error: WpError } | undefined;

/** perform_basic_authentication: an unknown key is not an error (the request stays anonymous). */
function basicAuth(api: ApiRequest, keys: readonly ApiKey[]): BasicResult {
  let ck: PhpValue | undefined;
  let cs: PhpValue | undefined;
  if (!emptyValue(api.query.get('consumer_key')) && !emptyValue(api.query.get('consumer_secret'))) {
    ck = api.query.get('consumer_key');
    cs = api.query.get('consumer_secret');
  }
  const basic = basicCredentials(api);
  if (ck === undefined && basic && basic.user !== '' && basic.user !== '0' && basic.pass !== '' && basic.pass !== '0') {
    ck = basic.user;
    cs = basic.pass;
  }
  if (ck === undefined || typeof cs !== 'string') return undefined;
  const key = findKey(keys, ck);
  if (!key) return undefined;
  if (!safeEqual(key.consumerSecret, cs)) return { error: authError('Consumer secret is invalid.') };
  return { user: key };
}

/** parse_header: oauth_* pairs of `Authorization: OAuth k="v", ...`, urldecoded. */
function oauthHeaderParams(api: ApiRequest): Map<string, string> {
  const out = new Map<string, string>();
  const header = (api.headers.authorization ?? '').trim();
  if (!header.startsWith('OAuth ')) return out;
  for (const m of header.matchAll(/(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g)) {
    const quoted = m[3];
    const value = quoted === undefined || quoted === '' || quoted === '0' ? (m[4] ?? '') : quoted;
    out.set(m[1]!, phpUrlDecode(value));
  }
  return out;
}

function checkTimestampAndNonce(key: ApiKey, timestamp: string, nonce: string, nowSeconds: number): WpError | undefined {
  const ts = isNumeric(timestamp) ? Number(timestamp) : NaN;
  if (!(ts >= nowSeconds - NONCE_WINDOW_SECONDS && ts <= nowSeconds + NONCE_WINDOW_SECONDS)) return authError('Invalid timestamp.');
  if ([...key.nonces.values()].includes(nonce)) return authError('Invalid nonce - nonce has already been used.');
  key.nonces.set(timestamp, nonce);
  for (const [t] of key.nonces) if (Number(t) < nowSeconds - NONCE_WINDOW_SECONDS) key.nonces.delete(t);
  return undefined;
}

interface OAuthInput {
  keys: readonly ApiKey[];
  homeUrl: string;
  nowSeconds: number;
}

/** perform_oauth_authentication: nothing happens when no oauth_* param is present. */
function oauthAuth(api: ApiRequest, input: OAuthInput): { user?: ApiKey; error?: WpError } {
  const params: PhpMap = new Map(api.query);
  for (const [k, v] of api.form ?? []) params.set(k, v);
  for (const [k, v] of oauthHeaderParams(api)) params.set(k, v);
  const missing = OAUTH_REQUIRED.filter((name) => emptyValue(params.get(name)));
  if (missing.length === OAUTH_REQUIRED.length) return {};
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'parameter' : 'parameters';
    return { error: new WpError('woocommerce_rest_authentication_missing_parameter', `Missing OAuth ${noun} ${missing.join(', ')}`, 401) };
  }
  const key = findKey(input.keys, params.get('oauth_consumer_key'));
  if (!key) return { error: authError('Consumer key is invalid.') };
  const method = params.get('oauth_signature_method');
  const baseString = oauthSignatureBaseString(api.method, oauthBaseUri(input.homeUrl, api.rawPath), params);
  if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') return { error: authError('Invalid signature - signature method is invalid.') };
  const sent = params.get('oauth_signature');
  const provided = typeof sent === 'string' ? phpUrlDecode(sent.replace(/ /g, '+'), false) : '';
  if (!safeEqual(oauthSignature(baseString, key.consumerSecret, method as OAuthSignatureMethod), provided)) {
    return { error: authError('Invalid signature - provided signature does not match.') };
  }
  const ts = params.get('oauth_timestamp');
  const nonce = params.get('oauth_nonce');
  const error = checkTimestampAndNonce(key, typeof ts === 'string' ? ts : '', typeof nonce === 'string' ? nonce : '', input.nowSeconds);
  return error ? { error } : { user: key };
}

export function authenticate(api: ApiRequest, input: OAuthInput & { isSsl: boolean }): AuthOutcome {
  if (!api.keyAuthEligible) return {};
  let error: WpError | undefined;
  if (input.isSsl) {
    const basic = basicAuth(api, input.keys);
    if (basic && 'user' in basic) return { user: basic.user };
    if (basic) error = basic.error;
  }
  const oauth = oauthAuth(api, input);
  // An earlier Basic-auth error stays the answer even when OAuth then succeeds.
  return { user: oauth.user, error: oauth.error ?? error };
}

/** check_permissions: the key's read/write right for the HTTP method. */
export function checkKeyPermission(key: ApiKey, method: string): WpError | undefined {
  switch (method) {
    case 'HEAD':
    case 'GET':
      return key.permissions === 'write' ? authError('The API key provided does not have read permissions.') : undefined;
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'DELETE':
      return key.permissions === 'read' ? authError('The API key provided does not have write permissions.') : undefined;
    case 'OPTIONS':
      return undefined;
    default:
      return authError('Unknown request method.');
  }
}
