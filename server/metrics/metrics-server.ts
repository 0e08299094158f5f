import http from 'node:http';
import { METRICS_CONTENT_TYPE, metricsText, type MetricsSources } from './exposition';

/** `host:port` (IPv6 hosts in brackets). */
export function parseListenAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address.trim());
  if (!m) throw new Error(`a listen address must be host:port, got ${address}`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

/**
 * A process without the POS API (a standalone worker) serves its `GET /metrics` here. Resolves
 * once listening, with the URL it answers at.
 */
export async function startMetricsServer(address: string, sources: MetricsSources): Promise<{ url: string; close(): Promise<void> }> {
  const { host, port } = parseListenAddress(address);
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    metricsText(sources).then(
      (text) => res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE }).end(text),
      (err: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
