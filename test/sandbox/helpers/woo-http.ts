// A tiny HTTP client for the sandbox tests: OAuth (query or header), Basic, query keys or none.
import type { WooSandbox } from '../../../sandbox/woocommerce';
import { type SignatureMethod, oauthParams, percentEncode } from './oauth-signer';

export type AuthMode = 'oauth' | 'oauth-header' | 'basic' | 'query' | 'none';

export interface WooCall {
  method?: string;
  /** Path after /wp-json/wc/v3, e.g. '/products'. */
  path: string;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Sent as is, with Content-Type: application/json. */
  rawBody?: string;
  auth?: AuthMode;
  signatureMethod?: SignatureMethod;
  timestamp?: number;
  nonce?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** Base URL used for signing (defaults to the sandbox URL). */
  signUrl?: string;
  timeoutMs?: number;
}

export interface WooReply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export async function woo(sandbox: WooSandbox, call: WooCall): Promise<WooReply> {
  const method = call.method ?? 'GET';
  const path = `/wp-json/wc/v3${call.path}`;
  const params: Array<[string, string]> = Object.entries(call.query ?? {}).map(([k, v]) => [k, String(v)]);
  const headers: Record<string, string> = {};
  const key = call.consumerKey ?? sandbox.consumerKey;
  const secret = call.consumerSecret ?? sandbox.consumerSecret;
  const auth = call.auth ?? 'oauth';
  if (auth === 'oauth' || auth === 'oauth-header') {
    const oauth = oauthParams({
      method,
      url: (call.signUrl ?? sandbox.url) + path,
      params,
      consumerKey: key,
      consumerSecret: secret,
      signatureMethod: call.signatureMethod,
      timestamp: call.timestamp,
      nonce: call.nonce,
    });
    if (auth === 'oauth') params.push(...oauth);
    else headers.Authorization = `OAuth ${oauth.map(([k, v]) => `${k}="${percentEncode(v)}"`).join(', ')}`;
  } else if (auth === 'basic') {
    headers.Authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  } else if (auth === 'query') {
    params.push(['consumer_key', key], ['consumer_secret', secret]);
  }
  let body: string | undefined;
  if (call.rawBody !== undefined || call.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = call.rawBody ?? JSON.stringify(call.body);
  }
  const qs = params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const res = await fetch(`${sandbox.url}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers,
    body,
    signal: call.timeoutMs ? AbortSignal.timeout(call.timeoutMs) : undefined,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}
