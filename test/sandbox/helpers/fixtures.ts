// Reads the recorded WooCommerce exchanges in /work/shared/fixtures/woocommerce-recorded.
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = '/work/shared/fixtures/woocommerce-recorded';

export interface RecordedRequest {
  method: string;
  /** Path and query after the host, e.g. '/wp-json/wc/v3/products?per_page=2'. */
  target: string;
  body: string | undefined;
}

export interface RecordedExchange {
  number: string;
  name: string;
  request: RecordedRequest | undefined;
  status: number;
  headers: Record<string, string>;
  body: any;
}

function fileFor(number: string, suffix: string): string | undefined {
  const f = fs.readdirSync(FIXTURES_DIR).find((n) => n.startsWith(`${number}-`) && n.endsWith(suffix));
  return f ? path.join(FIXTURES_DIR, f) : undefined;
}

export function recorded(number: string): RecordedExchange {
  const httpFile = fileFor(number, '.http');
  if (!httpFile) throw new Error(`no fixture ${number}`);
  const raw = fs.readFileSync(httpFile, 'utf8');
  const split = /\r?\n\r?\n/.exec(raw);
  const head = split ? raw.slice(0, split.index) : raw;
  const [statusLine = '', ...lines] = head.split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const jsonFile = fileFor(number, '.json');
  const body: unknown = jsonFile ? JSON.parse(fs.readFileSync(jsonFile, 'utf8')) : undefined;
  let request: RecordedRequest | undefined;
  const reqFile = fileFor(number, '.request.txt');
  if (reqFile) {
    const text = fs.readFileSync(reqFile, 'utf8');
    const [first = '', ...rest] = text.split(/\r?\n/);
    const [method = 'GET', url = '/'] = first.split(' ');
    const blank = rest.indexOf('');
    const bodyText = blank === -1 ? '' : rest.slice(blank + 1).join('\n').trim();
    request = { method, target: url.replace(/^https?:\/\/[^/]+/, ''), body: bodyText || undefined };
  }
  return {
    number,
    name: path.basename(httpFile, '.http'),
    request,
    status: Number(/\s(\d{3})/.exec(statusLine)?.[1]),
    headers,
    body,
  };
}

export interface RecordedDelivery {
  /** The request line, e.g. 'POST /hooks/order HTTP/1.1'. */
  requestLine: string;
  /** Headers in the order received. */
  headers: Array<[string, string]>;
  body: string;
}

/** A request the recording store's webhooks sent, from webhook-deliveries[-sync-mode]/. */
export function recordedDelivery(file: string, folder = 'webhook-deliveries'): RecordedDelivery {
  const raw = fs.readFileSync(path.join(FIXTURES_DIR, folder, file), 'utf8');
  const split = /\r?\n\r?\n/.exec(raw);
  const head = split ? raw.slice(0, split.index) : raw;
  const [requestLine = '', ...lines] = head.split(/\r?\n/);
  const headers = lines.map((line): [string, string] => {
    const i = line.indexOf(':');
    return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
  });
  return { requestLine, headers, body: split ? raw.slice(split.index + split[0].length) : '' };
}
