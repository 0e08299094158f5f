// The HTTP side of webhooks (WP_Http as WooCommerce calls it): one POST per call, no redirects
// followed, Connection: close, headers in the order the recordings show. Never rejects: a transport
// error or an abort is reported as such.
import http from 'node:http';
import https from 'node:https';

export const WC_USER_AGENT = 'WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)';

export type PostOutcome = { status: number } | { error: string };

export interface PostRequest {
  url: string;
  /** Sent after User-Agent, Accept and Accept-Encoding. */
  headers: Array<[string, string]>;
  /** Sent after Connection and Content-Length (the ping's Content-Type comes last). */
  trailingHeaders?: Array<[string, string]>;
  body: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export function postOnce(req: PostRequest): Promise<PostOutcome> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      resolve({ error: 'A valid URL was not provided.' });
      return;
    }
    const body = Buffer.from(req.body, 'utf8');
    const headers: Record<string, string> = {
      Host: url.host,
      'User-Agent': WC_USER_AGENT,
      Accept: '*/*',
      'Accept-Encoding': 'deflate, gzip, br, zstd',
    };
    for (const [k, v] of req.headers) headers[k] = v;
    headers.Connection = 'close';
    headers['Content-Length'] = String(body.length);
    for (const [k, v] of req.trailingHeaders ?? []) headers[k] = v;
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = client.request(url, { method: 'POST', headers, agent: false, signal: req.signal, timeout: req.timeoutMs }, (res) => {
      res.resume();
      // The status counts once the answer is in, even if its body is cut short.
      res.on('close', () => done({ status: res.statusCode ?? 0 }));
    });
    request.on('timeout', () => {
      request.destroy();
      done({ error: `Operation timed out after ${req.timeoutMs} milliseconds` });
    });
    request.on('error', (err) => done({ error: err.message }));
    request.end(body);
  });
}
