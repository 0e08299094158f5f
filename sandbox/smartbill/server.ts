import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SmartBillApi } from './api';
import { runMovements } from './movements';
import { StockBook } from './stock-book';
import type { SmartBillSandbox, SmartBillSandboxOptions } from './types';

/** A local SmartBill Cloud API (stock part), and SmartBill's calls to a shop's stock receiver. */
export async function startSmartBillSandbox(opts: SmartBillSandboxOptions = {}): Promise<SmartBillSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const account = {
    email: opts.email ?? 'gestiune@example.ro',
    token: opts.token ?? crypto.randomBytes(16).toString('hex'),
    cif: opts.cif ?? 'RO12345678',
    warehouses: opts.warehouses ?? [{ name: 'Depozit', type: 'en gros' }, { name: 'Magazin', type: 'en detail' }],
  };
  const book = new StockBook();
  const api = new SmartBillApi(account, book, opts.callsPerSecond ?? 3);
  const latencyMs = opts.latencyMs ?? 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = api.answer(req);
      const body = JSON.stringify(answer.body);
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...answer.headers });
        res.end(body);
      }, latencyMs);
    });
  });
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve(server.address() as AddressInfo));
  });
  return {
    apiUrl: `http://${host}:${address.port}/SBORO/api`,
    ...account,
    setStock: (lines, at = new Date()) => lines.forEach((l) => book.set(l, at)),
    level: (warehouse, codeOrName) => book.level(warehouse, codeOrName),
    runMovements: (target, o) => runMovements(book, target, o),
    failNext: (count, answer) => api.failNext(count, answer),
    stats: () => structuredClone(api.counters),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
