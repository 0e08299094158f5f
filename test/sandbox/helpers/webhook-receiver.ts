// A local HTTP endpoint that records what the sandbox's webhooks send it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../helpers/wait';

export interface ReceivedRequest {
  method: string;
  path: string;
  /** Header names as sent, in order. */
  rawHeaders: Array<[string, string]>;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Status answered to the next requests (default 200). */
  answer(status: number): void;
  /** Resolves once `n` requests have arrived (a deadline only when `timeoutMs` is given). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawHeaders: Array<[string, string]> = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      received.push({ method: req.method ?? '', path: req.url ?? '', rawHeaders, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (s) => {
      status = s;
    },
    waitFor: async (n, timeoutMs) => {
      await waitFor(`${n} webhook requests`, () => received.length >= n, { deadlineMs: timeoutMs, intervalMs: 50 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
