// A tiny HTTP server that replays recorded WooCommerce answers and captures what the client sent.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

export const FIXTURES_DIR = '/work/shared/fixtures/woocommerce-recorded';

export interface StubReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface CapturedRequest {
  method: string;
  /** Raw request target: path and query exactly as sent. */
  url: string;
  path: string;
  /** Query pairs decoded the way PHP fills $_GET. */
  query: Array<[string, string]>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** 'hang' never answers; 'reset' drops the connection. */
export type StubAction = StubReply | 'hang' | 'reset';
export type StubHandler = (req: CapturedRequest) => StubAction | Promise<StubAction>;

const DROPPED_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'date', 'host']);

/** Loads `NN-*.http` (status line, headers, body) by its number, e.g. fixture('08'). */
export function fixture(number: string): StubReply {
  const file = fs.readdirSync(FIXTURES_DIR).find((f) => f.startsWith(`${number}-`) && f.endsWith('.http'));
  if (!file) throw new Error(`no fixture ${number}-*.http in ${FIXTURES_DIR}`);
  const raw = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
  const split = /\r?\n\r?\n/.exec(raw);
  const head = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
  const status = /^HTTP(?:\/[\d.]+)?\s+(\d{3})/.exec(statusLine);
  if (!status?.[1]) throw new Error(`bad status line in ${file}: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = line.slice(colon + 1).trim();
  }
  return { status: Number(status[1]), headers, body };
}

/** The recorded request body of `NN-*.request.txt` (after the request line and headers). */
export function fixtureRequestBody(number: string): string {
  const file = fs.readdirSync(FIXTURES_DIR).find((f) => f.startsWith(`${number}-`) && f.endsWith('.request.txt'));
  if (!file) throw new Error(`no fixture ${number}-*.request.txt`);
  const raw = fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8');
  const split = /\r?\n\r?\n/.exec(raw);
  return split ? raw.slice(split.index + split[0].length).trim() : '';
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): StubReply {
  return { status, headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers }, body: JSON.stringify(body) };
}

function phpUrlDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

export class StubServer {
  readonly requests: CapturedRequest[] = [];
  handler: StubHandler;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    handler: StubHandler,
  ) {
    this.handler = handler;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(handler: StubHandler = () => json(200, [])): Promise<StubServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stub = new StubServer(server, `http://127.0.0.1:${port}`, handler);
    server.on('request', (req, res) => {
      stub.onRequest(req, res).catch((err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
    return stub;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const query: Array<[string, string]> = q < 0 ? [] : url
      .slice(q + 1)
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq < 0 ? [phpUrlDecode(pair), ''] : [phpUrlDecode(pair.slice(0, eq)), phpUrlDecode(pair.slice(eq + 1))];
      });
    const captured: CapturedRequest = {
      method: req.method ?? 'GET',
      url,
      path: q < 0 ? url : url.slice(0, q),
      query,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(captured);
    const action = await this.handler(captured);
    if (action === 'hang') return;
    if (action === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(action.status, action.headers ?? {});
    res.end(action.body ?? '');
  }

  queryOf(req: CapturedRequest): Map<string, string> {
    return new Map(req.query);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
