// OAuth 1.0a "one-legged" signing exactly as WooCommerce verifies it
// (class-wc-rest-authentication.php, check_oauth_signature; apis.md §1.2 B).
import { createHmac, randomBytes } from 'node:crypto';

export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';
export type QueryPair = readonly [key: string, value: string];

export interface OAuth1SignInput {
  method: string;
  /** Absolute URL of the endpoint; a query part, if any, is ignored (pass the params in `query`). */
  url: string;
  /** The request's own query params, decoded (as PHP's $_GET will see them). */
  query: readonly QueryPair[];
  consumerKey: string;
  consumerSecret: string;
  signatureMethod?: OAuth1SignatureMethod;
  /** Tests only: a fresh random nonce is used otherwise. */
  nonce?: string;
  /** Tests only: seconds since the epoch; now otherwise. */
  timestamp?: number;
}

/** PHP rawurlencode: every byte except ALPHA / DIGIT / - . _ ~ is percent-encoded (UTF-8). */
export function rawUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** scheme://host[:port]/path — WHATWG URL drops default ports and lower-cases the host, as home_url() does. */
export function signatureBaseUri(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

export function signatureBaseString(method: string, url: string, params: readonly QueryPair[]): string {
  // The server sorts by raw key with strcmp (byte order) BEFORE encoding, unlike RFC 5849.
  const sorted = [...params].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  const pairs = sorted.map(([k, v]) => rawUrlEncode(`${rawUrlEncode(k)}=${rawUrlEncode(v)}`));
  return `${method.toUpperCase()}&${rawUrlEncode(signatureBaseUri(url))}&${pairs.join('%26')}`;
}

export function hmacSignature(
  baseString: string,
  consumerSecret: string,
  signatureMethod: OAuth1SignatureMethod,
): string {
  const algorithm = signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, `${consumerSecret}&`).update(baseString).digest('base64');
}

/** 32 hex characters; WooCommerce refuses a nonce it has seen from the same key within 15 minutes. */
export function generateNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * Returns the oauth_* params (oauth_signature last) to append to the query string.
 * Call once per HTTP request, retries included: every call draws a new nonce and timestamp.
 */
export function signOAuth1(input: OAuth1SignInput): QueryPair[] {
  const signatureMethod = input.signatureMethod ?? 'HMAC-SHA256';
  const oauth: QueryPair[] = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? generateNonce()],
    ['oauth_signature_method', signatureMethod],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  const signed = [...input.query.filter(([k]) => k !== 'oauth_signature'), ...oauth];
  const base = signatureBaseString(input.method, input.url, signed);
  return [...oauth, ['oauth_signature', hmacSignature(base, input.consumerSecret, signatureMethod)]];
}
