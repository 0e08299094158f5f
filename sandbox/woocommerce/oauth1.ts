// OAuth 1.0a one-legged signatures exactly as WooCommerce verifies them
// (WC_REST_Authentication::check_oauth_signature). Pure functions, no I/O.
import crypto from 'node:crypto';
import { rawUrlEncode } from './php-query';

export type OAuthSignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

/** A request parameter as PHP sees it: a string, or a nested array (`a[]=1`, `a[k]=2`). */
export type OAuthParamValue = string | readonly OAuthParamValue[] | ReadonlyMap<string, OAuthParamValue> | { readonly [key: string]: OAuthParamValue };
export type OAuthParams = ReadonlyMap<string, OAuthParamValue> | { readonly [key: string]: OAuthParamValue };

function entries(value: OAuthParams | readonly OAuthParamValue[]): Array<[string, OAuthParamValue]> {
  if (value instanceof Map) return [...(value as ReadonlyMap<string, OAuthParamValue>).entries()];
  if (Array.isArray(value)) return (value as readonly OAuthParamValue[]).map((v, i) => [String(i), v]);
  return Object.entries(value as { readonly [key: string]: OAuthParamValue });
}

function isNested(v: OAuthParamValue): v is Exclude<OAuthParamValue, string> {
  return typeof v !== 'string';
}

/** PHP strcmp: byte order of the raw (unencoded) keys. */
function strcmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Values are encoded once, then every `key=value` string is encoded again (join_with_equals_sign). */
function joinWithEqualsSign(pairs: Array<[string, OAuthParamValue]>, prefix: string, out: string[]): void {
  for (const [rawKey, value] of pairs) {
    // Top-level keys are encoded by normalize_parameters; keys of nested arrays are not.
    const key = prefix ? `${prefix}%5B${rawKey}%5D` : rawUrlEncode(rawKey);
    if (isNested(value)) joinWithEqualsSign(entries(value), key, out);
    else out.push(rawUrlEncode(`${key}=${rawUrlEncode(value)}`));
  }
}

/**
 * The string WooCommerce signs: METHOD & rawurlencode(base URI) & the sorted, doubly encoded params.
 * `baseUri` is scheme://host[:port]/path without query; `params` are all query (and form-POST)
 * params plus the oauth_* ones, with or without oauth_signature (it is left out).
 */
export function oauthSignatureBaseString(method: string, baseUri: string, params: OAuthParams): string {
  const pairs = entries(params).filter(([k]) => k !== 'oauth_signature');
  pairs.sort(([a], [b]) => strcmp(a, b));
  const joined: string[] = [];
  joinWithEqualsSign(pairs, '', joined);
  return `${method.toUpperCase()}&${rawUrlEncode(baseUri)}&${joined.join('%26')}`;
}

/** base64(HMAC(base string, consumer_secret + '&')). */
export function oauthSignature(baseString: string, consumerSecret: string, signatureMethod: OAuthSignatureMethod): string {
  const algo = signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return crypto.createHmac(algo, `${consumerSecret}&`).update(baseString, 'utf8').digest('base64');
}

/** The base URI WooCommerce rebuilds: home_url() + the request path, scheme from is_ssl(). */
export function oauthBaseUri(homeUrl: string, rawRequestPath: string): string {
  const path = rawRequestPath.replace(/^\/+/, '');
  return path ? `${homeUrl.replace(/\/+$/, '')}/${path}` : homeUrl;
}

export function signOAuth1(input: {
  method: string;
  baseUri: string;
  params: OAuthParams;
  consumerSecret: string;
  signatureMethod: OAuthSignatureMethod;
}): string {
  return oauthSignature(oauthSignatureBaseString(input.method, input.baseUri, input.params), input.consumerSecret, input.signatureMethod);
}
