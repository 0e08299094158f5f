// An OAuth 1.0a one-legged signer written for these tests, independent of the sandbox and of
// activities/: RFC 5849 encoding, params sorted by their raw names (as WooCommerce does).
import { createHmac, randomBytes } from 'node:crypto';

export type SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

/** RFC 3986 percent-encoding (encodeURIComponent leaves !'()* alone). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface SignInput {
  method: string;
  /** scheme://host:port/path, no query. */
  url: string;
  /** Query (and form) params to send, in order; oauth_* are added. */
  params: Array<[string, string]>;
  consumerKey: string;
  consumerSecret: string;
  signatureMethod?: SignatureMethod;
  timestamp?: number;
  nonce?: string;
}

export function baseString(method: string, url: string, params: Array<[string, string]>): string {
  const sorted = [...params].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const paramString = sorted.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  return [method.toUpperCase(), percentEncode(url), percentEncode(paramString)].join('&');
}

/** The oauth_* params including oauth_signature. */
export function oauthParams(input: SignInput): Array<[string, string]> {
  const oauth: Array<[string, string]> = [
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', input.signatureMethod ?? 'HMAC-SHA256'],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_version', '1.0'],
  ];
  const algo = (input.signatureMethod ?? 'HMAC-SHA256') === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const base = baseString(input.method, input.url, [...input.params, ...oauth]);
  const signature = createHmac(algo, `${input.consumerSecret}&`).update(base).digest('base64');
  return [...oauth, ['oauth_signature', signature]];
}
