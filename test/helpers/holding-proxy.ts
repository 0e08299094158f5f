import http from 'node:http';
import type net from 'node:net';

/**
 * An HTTP proxy in front of a server that can hold answers: a request matching `hold` is passed on
 * (the server applies it) and its answer is kept from the client, as if the client's process died
 * before it arrived. `release()` stops holding and drops the held requests' connections.
 */
export interface HoldingProxy {
  url: string;
  hold(method: string, path: RegExp): void;
  /** Requests whose answer is being held now. */
  held(): number;
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  let rule: { method: string; path: RegExp } | undefined;
  const holding = new Set<http.ServerResponse>();
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = http.request(target + req.url, { method: req.method, headers: req.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (c: Buffer) => body.push(c));
        answer.on('end', () => {
          const path = (req.url ?? '').split('?')[0]!;
          if (rule && req.method === rule.method && rule.path.test(path)) {
            holding.add(res);
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(body));
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const release = () => {
    rule = undefined;
    for (const res of holding) res.destroy();
    holding.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (method, path) => void (rule = { method, path }),
    held: () => holding.size,
    release,
    close: async () => {
      release();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
