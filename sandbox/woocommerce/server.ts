// startWooSandbox: the HTTP server around the app, with the controls tests use.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WooApp } from './app';
import { loadStoreState, StateKeeper } from './persistence';
import { createStateView } from './state-view';
import type { WooSandbox, WooSandboxOptions } from './types';

const randomHex = (): string => crypto.randomBytes(20).toString('hex');

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startWooSandbox(opts: WooSandboxOptions = {}): Promise<WooSandbox> {
  const host = opts.host ?? '127.0.0.1';
  const consumerKey = opts.consumerKey ?? `ck_${randomHex()}`;
  const consumerSecret = opts.consumerSecret ?? `cs_${randomHex()}`;
  const server = http.createServer();
  const address = await listen(server, opts.port ?? 0, host);
  const hostPort = `${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const app = new WooApp({
    hostPort,
    assumeHttps: opts.assumeHttps ?? false,
    tzOffsetMinutes: opts.timezoneOffsetMinutes ?? 0,
    keys: [{ consumerKey, consumerSecret, permissions: opts.readOnlyKey ? 'read' : 'read_write', nonces: new Map() }],
    latency: opts.latency ?? {},
    concurrency: opts.concurrency ?? 8,
    webhookDelayMs: opts.webhookDelayMs ?? 50,
  });
  // Loaded before the request handler is attached: a half-loaded shop is never seen.
  let restored = false;
  try {
    restored = opts.stateFile ? loadStoreState(app.store, opts.stateFile) && !app.store.isEmpty() : false;
  } catch (err) {
    server.close();
    throw err;
  }
  const keeper = opts.stateFile ? new StateKeeper(app.store, opts.stateFile) : undefined;
  if (opts.faults) app.faults.set(opts.faults);
  if (opts.webhookFaults) app.webhooks.setFaults(opts.webhookFaults);
  const state = createStateView(app);
  server.on('request', (req, res) => {
    app.handle(req, res).catch((err: unknown) => app.fail(res, err));
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${hostPort}`,
    consumerKey,
    consumerSecret,
    restored,
    saveState: () => keeper?.saveNow(),
    setFaults: (f) => app.faults.set(f),
    resetFaults: () => {
      app.faults.reset();
      app.webhooks.resetFaults();
    },
    setLatency: (l) => app.latency.set(l),
    setConcurrency: (n) => app.pool.setLimit(n),
    stats: () => app.stats.snapshot(),
    resetStats: () => app.stats.reset(),
    reset: () => {
      app.webhooks.reset();
      app.store.clear();
      app.stats.reset();
    },
    state,
    seedOrders: (o) => state.seedOrders(o),
    setWebhookFaults: (f) => app.webhooks.setFaults(f),
    webhookDeliveries: () => app.webhooks.deliveries(),
    flushWebhooks: () => app.webhooks.flush(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        app.webhooks.close();
        app.releaseHung();
        keeper?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
