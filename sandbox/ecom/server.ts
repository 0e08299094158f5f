// startEcomSandbox: the HTTP server around the eCom app, with the controls tests and benchmarks use.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EcomApp } from './app';
import { placeOrder } from './orders';
import { RateLimiter } from './rate-limiter';
import { isoDate } from './shapes';
import type { EcomSandboxOptions, EcomSandboxStats, FaultOptions, PlaceOrderInput, RateLimitOptions, WebhookDelivery } from './types';
import type { EcomStore, EcomStoreSnapshot, OrderRow } from './model';
import { StateKeeper, readSavedState } from '../state-file';

export interface EcomSandbox {
  /** e.g. http://127.0.0.1:1234 (the API lives at /{lang}/…json under it). */
  url: string;
  apiKey: string;
  apiSecret: string;
  languages: string[];
  timeScale: number;
  setFaults(f: Partial<FaultOptions>): void;
  resetFaults(): void;
  /** Replaces the limiter (e.g. another mode or scale); windows start afresh. */
  setRateLimit(o: RateLimitOptions): void;
  stats(): EcomSandboxStats;
  /** Zeroes the counters and starts every rate-limit window afresh. */
  resetStats(): void;
  /** Empties the shop (products, variants, brands, images, orders, webhooks) and the stats. */
  reset(): void;
  /** The raw store, read-only by convention (assertions). */
  state: EcomStore;
  /** The shop was loaded from stateFile with something in it (false: it started empty, new or reset). */
  restored: boolean;
  /** Writes the shop to its stateFile now (no-op without one). */
  saveState(): void;
  /** Places an order as the storefront would (no API request, no rate-limit use); webhooks fire. */
  placeOrder(input: PlaceOrderInput): OrderRow;
  webhookDeliveries(): WebhookDelivery[];
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

const key32 = (): string => crypto.randomBytes(16).toString('hex');

export async function startEcomSandbox(opts: EcomSandboxOptions = {}): Promise<EcomSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const apiKey = opts.apiKey ?? key32();
  const apiSecret = opts.apiSecret ?? key32();
  if (apiKey.length !== 32 || apiSecret.length !== 32) throw new Error('eCom API key and secret are 32 characters each');
  const languages = opts.languages ?? ['nl', 'en'];
  const server = http.createServer();
  // Clients wait out windows on idle keep-alive sockets; Node's 5 s default would reset them under a request.
  server.keepAliveTimeout = 65_000;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve(server.address() as AddressInfo));
  });
  const url = `http://${host}:${address.port}`;
  const app = new EcomApp({ base: url, apiKey, apiSecret, languages, rateLimit: opts.rateLimit ?? {}, webhookDelayMs: opts.webhookDelayMs ?? 20, shopId: opts.shopId ?? 123456, stringNumbers: opts.stringNumbers ?? false });
  if (opts.faults) app.faults.set(opts.faults);
  let restored = false;
  if (opts.stateFile) {
    const saved = readSavedState<EcomStoreSnapshot>(opts.stateFile);
    if (saved && saved.shop !== 'ecom') throw new Error(`${opts.stateFile} holds another kind of sandbox shop than eCom`);
    if (saved) app.store.restore(saved);
    restored = !app.store.isEmpty();
  }
  const keeper = opts.stateFile ? new StateKeeper(app.store, opts.stateFile) : undefined;
  server.on('request', (req, res) => {
    app.handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 500, method: req.method, request: req.url, message: err instanceof Error ? err.message : String(err) } }));
    });
  });
  let closing: Promise<void> | undefined;
  const sandbox: EcomSandbox = {
    url,
    apiKey,
    apiSecret,
    languages,
    get timeScale() {
      return app.limiter.timeScale;
    },
    setFaults: (f) => app.faults.set(f),
    resetFaults: () => app.faults.reset(),
    setRateLimit: (o) => {
      app.limiter = new RateLimiter(o);
      app.limiter.reset();
    },
    stats: () => app.snapshotStats(),
    resetStats: () => app.resetStats(),
    reset: () => {
      app.store.clearKeepingIds();
      app.webhooks.reset();
      app.resetStats();
    },
    state: app.store,
    restored,
    saveState: () => keeper?.saveNow(),
    placeOrder: (input) => {
      const order = placeOrder(app.store, input, isoDate(), languages[0]!);
      app.webhooks.orderEvent('created', order.id);
      if (order.paymentStatus === 'paid') app.webhooks.orderEvent('paid', order.id);
      return order;
    },
    webhookDeliveries: () => app.webhooks.deliveries(),
    flushWebhooks: () => app.webhooks.flush(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        app.webhooks.close();
        keeper?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return sandbox;
}
