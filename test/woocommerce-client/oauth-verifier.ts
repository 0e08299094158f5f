// An OAuth 1.0a verifier written independently of activities/woocommerce/oauth1.ts, following
// WooCommerce's check_oauth_signature step by step (PHP semantics spelled out by hand).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CapturedRequest } from './stub-server';

/** PHP rawurlencode over UTF-8 bytes: only A-Z a-z 0-9 - _ . ~ stay literal. */
function phpRawUrlEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** PHP strcmp on byte strings. */
function strcmp(a: string, b: string): number {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

export interface VerifyResult {
  ok: boolean;
  method: string;
  baseString: string;
  params: Map<string, string>;
}

/** Recomputes the signature the store would expect for `req` sent to `origin` (e.g. http://127.0.0.1:8080). */
export function verifyOAuthRequest(req: CapturedRequest, origin: string, consumerSecret: string): VerifyResult {
  const params = new Map(req.query); // later duplicates win, like $_GET
  const given = params.get('oauth_signature') ?? '';
  params.delete('oauth_signature');
  const method = params.get('oauth_signature_method') ?? '';
  const keys = [...params.keys()].sort(strcmp);
  const joined = keys
    .map((k) => phpRawUrlEncode(`${phpRawUrlEncode(k)}=${phpRawUrlEncode(params.get(k) ?? '')}`))
    .join('%26');
  const baseString = `${req.method.toUpperCase()}&${phpRawUrlEncode(origin + req.path)}&${joined}`;
  const algo = method === 'HMAC-SHA1' ? 'sha1' : method === 'HMAC-SHA256' ? 'sha256' : undefined;
  if (!algo) return { ok: false, method, baseString, params };
  const expected = Buffer.from(createHmac(algo, `${consumerSecret}&`).update(baseString).digest('base64'));
  const actual = Buffer.from(given);
  return { ok: expected.length === actual.length && timingSafeEqual(expected, actual), method, baseString, params };
}
