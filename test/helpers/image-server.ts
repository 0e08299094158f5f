import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/**
 * A tiny image host on 127.0.0.1 (the kit's store, like the sandbox, can reach only loopback):
 * `/ok…` answers a real PNG (each path its own colour), `/text…` a non-image with an image type,
 * anything else 404. Counts the requests per path: each is one download by the shop.
 */
export interface ImageServer {
  url: string;
  /** A URL on a port where nothing listens (connection refused). */
  deadUrl: string;
  deadPort: number;
  hits(path?: string): number;
  close(): Promise<void>;
}

function crc32(b: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of b) {
    let c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 4×4 PNG of one colour. */
export function png(seed: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4, 0);
  ihdr.writeUInt32BE(4, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.alloc(13);
  for (let x = 0; x < 4; x++) row.set([seed & 0xff, (seed * 7) & 0xff, (seed * 13) & 0xff], 1 + x * 3);
  const raw = Buffer.concat([row, row, row, row]);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function startImageServer(): Promise<ImageServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('/ok')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png(path.length * 31 + path.charCodeAt(path.length - 5)));
    } else if (path.startsWith('/text')) {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end('not an image');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such image');
    }
  });
  server.keepAliveTimeout = 100;
  const port = await listen(server);
  // Take a free port and release it: nothing listens there afterwards.
  const probe = http.createServer();
  const deadPort = await listen(probe);
  await new Promise((r) => probe.close(r));
  return {
    url: `http://127.0.0.1:${port}`,
    deadUrl: `http://127.0.0.1:${deadPort}`,
    deadPort,
    hits: (path) => (path ? hits.get(path) ?? 0 : [...hits.values()].reduce((a, b) => a + b, 0)),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
