import { creationTimingFor } from '../activities/woocommerce/shop-creations';
import crypto from 'node:crypto';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { connectDb, migrateToLatest, type Db } from '../db/connection';
import { WooClientRegistry } from '../activities/woocommerce/registry';
import { sandboxStateFile, startWooSandbox, type WooSandbox } from '../sandbox/woocommerce';
import { buildServer } from '../server/app';
import { PushDispatcher } from '../server/push-dispatcher';
import { createPossyncWorker } from '../workers/create-worker';
import { DEFAULT_PUSH_TIMING } from '../workflows/contracts/product-push';
import type { Config } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { connectClient, connectWorkerConnection } from './temporal-connection';
import { ensureOrderPoll, startOrderSync } from './order-sync-starter';
import { webhookDeliveryUrl } from './webhook-health-starter';
import type { WebhookTargets } from '../activities';
import { startTemporalDevServer } from './temporal-dev-server';
import { ProcessWatchdog } from './process-watchdog';
import { claimDataDir } from './run-lock';
import { ensureReconcileSchedule } from './reconcile-schedule';
import { assertStartPortsFree } from './port-errors';
import { ensureLocalAdminToken, type LocalAdminToken } from '../server/auth/local-admin-token';
import { SmartBillRegistry } from '../activities/smartbill/registry';
import { EcomRegistry } from '../activities/ecom/registry';
import { startEcomOrderSync } from './ecom-order-starter';
import { startEcomSandbox, type EcomSandbox } from '../sandbox/ecom';
import { ecomSandboxTimeScale } from './connection-spec';
import { SmartBillWaker, wakeSmartBillApply } from './smartbill-starter';
import { startConnections, type ConnectionsStart } from './connection-start';
import { configuredConnections } from './connection-set';
import type { ConnectionsReloader } from '../activities/woocommerce/connection-check-activities';

export interface Stack {
  config: Config;
  db: Db;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  client: Client;
  worker: Worker;
  woo: WooClientRegistry;
  /** SmartBill connections (issue 12); tests add theirs. */
  smartbill: SmartBillRegistry;
  ecom: EcomRegistry;
  sandbox?: WooSandbox;
  /** The embedded Lightspeed eCom sandbox, when a configured eCom connection says `sandbox: true`. */
  ecomSandbox?: EcomSandbox;
  server: FastifyInstance;
  httpUrl: string;
  dispatcher: PushDispatcher;
  /** npm start: every configured connection, whether it is new (catalog to push) and its check at start. */
  connections?: ConnectionsStart;
  /** Webhook secret per connection id; tests and connection setup add theirs. */
  webhookSecrets: Map<string, string>;
  /** The admin token kept in the data folder for the CLI (server/auth/local-admin-token.ts). */
  localAdminToken: LocalAdminToken;
  stop(): Promise<void>;
}

export interface StackOptions {
  config: Config;
  log: Logger;
  /**
   * npm start: run the configured connections (connections file, WOO_*, else the sandbox), check
   * them, and seed the demo catalog for a sandbox-only start on an empty database.
   */
  startConnections?: boolean;
  /** With startConnections: the environment the connections file's secrets are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  headless?: boolean;
  workflowBundle?: { code: string };
  temporalDbFile?: string;
  /** The Temporal SDK's Prometheus exporter of this process, appended to GET /metrics. */
  sdkMetricsUrl?: string;
}

/** Starts every part in order, and stops them in reverse, leaving nothing running. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const { config, log } = opts;
  const stops: { name: string; fn: () => Promise<unknown> }[] = [];
  const stopAll = async () => {
    for (const s of stops.reverse()) {
      await withTimeout(s.fn(), 15_000).catch((err) => log.warn({ err: String(err) }, `stopping ${s.name} failed`));
    }
    stops.length = 0;
  };
  // A bad connections file or a missing secret stops the start before anything runs.
  const loadSpecs = () => configuredConnections(config, opts.env ?? process.env);
  const specs = opts.startConnections ? loadSpecs() : undefined;
  try {
    // Embedded parts live in the data folder: one run at a time there, and they die with us (issue 7.11).
    const embedded = !config.database.url || !config.temporal.address;
    const lock = embedded ? claimDataDir(config.dataDir) : undefined;
    const watchdog = embedded ? ProcessWatchdog.start() : undefined;
    if (lock && watchdog) stops.push({ name: 'data folder lock', fn: async () => { lock.release(); watchdog.close(); } });
    await assertStartPortsFree(config);
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.database.embeddedPort });
      if (pg.staleStopped) log.warn(`stopped ${pg.staleStopped}, left running by an earlier run that was killed`);
      // SIGINT: PostgreSQL's fast shutdown.
      watchdog?.watch(pg.pid, 'SIGINT');
      stops.push({ name: 'embedded PostgreSQL', fn: async () => { await pg.stop(); watchdog?.unwatch(pg.pid); } });
      databaseUrl = pg.url;
    }
    // The API and the sync side (worker, dispatcher) get their own pools, so a burst of till
    // traffic cannot make the pushes queue for a connection (and the other way round).
    // A till waits at most 10 s for a connection: then it gets a 503 with Retry-After, not a hang.
    const db = connectDb(databaseUrl, { max: 16, acquireTimeoutMs: 10_000 });
    stops.push({ name: 'database pool', fn: () => db.destroy() });
    const syncDb = connectDb(databaseUrl, { max: 8 });
    stops.push({ name: 'sync database pool', fn: () => syncDb.destroy() });
    await migrateToLatest(db);
    const localAdminToken = await ensureLocalAdminToken(db, config.dataDir);

    let temporalAddress = config.temporal.address;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const dev = await startTemporalDevServer({
        cliPath: config.temporal.cliPath,
        dbFile: opts.temporalDbFile ?? path.join(config.dataDir, 'temporal', 'dev.db'),
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        headless: opts.headless,
      });
      if (dev.staleStopped) log.warn(`stopped ${dev.staleStopped}, left running by an earlier run that was killed`);
      watchdog?.watch(dev.pid, 'SIGTERM');
      stops.push({ name: 'Temporal dev server', fn: async () => { await dev.stop(); watchdog?.unwatch(dev.pid); } });
      temporalAddress = dev.address;
      temporalUiUrl = dev.uiUrl || undefined;
    }
    const target = { address: temporalAddress, namespace: config.temporal.namespace, apiKey: config.temporal.apiKey, tls: config.temporal.tls };
    const client = await connectClient(target);
    stops.push({ name: 'Temporal client', fn: () => client.connection.close() });

    const woo = new WooClientRegistry();
    const smartbill = new SmartBillRegistry();
    const ecom = new EcomRegistry();
    let sandbox: WooSandbox | undefined;
    const sandboxSpec = specs?.find((c) => c.sandbox && c.kind === 'woocommerce');
    if (specs ? sandboxSpec !== undefined : !config.woo) {
      sandbox = await startWooSandbox({
        port: config.sandbox.port, latency: { perRequestMs: config.sandbox.latencyMs },
        // npm start's sandbox is a shop: it keeps its state in the data folder (issue 8 point 1); tests' stay in memory.
        stateFile: sandboxSpec ? sandboxStateFile(config.dataDir, sandboxSpec.id) : undefined,
      });
      stops.push({ name: 'WooCommerce sandbox', fn: () => sandbox!.close() });
    }
    let ecomSandbox: EcomSandbox | undefined;
    const ecomSandboxSpec = specs?.find((c) => c.sandbox && c.kind === 'ecom');
    if (ecomSandboxSpec) {
      // Like the WooCommerce sandbox, npm start's eCom sandbox keeps its shop in the data folder.
      ecomSandbox = await startEcomSandbox({
        rateLimit: { timeScale: ecomSandboxTimeScale(ecomSandboxSpec) }, stateFile: sandboxStateFile(config.dataDir, ecomSandboxSpec.id),
      });
      stops.push({ name: 'Lightspeed eCom sandbox', fn: () => ecomSandbox!.close() });
    }
    // Tests (no startConnections) get the one connection of the environment, as before.
    if (!specs && config.woo) woo.set(config.woo.connectionId, config.woo);
    else if (!specs && sandbox) woo.set(config.wooConnectionId, { baseUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret });

    const webhookSecrets = new Map<string, string>();
    if (!specs) webhookSecrets.set(config.wooConnectionId, config.woo?.webhookSecret ?? config.wooWebhookSecret ?? crypto.randomBytes(24).toString('base64url'));
    const connectionsReloader: ConnectionsReloader = {};
    let publicUrl: string | undefined = config.publicUrl;
    const webhookTargets: WebhookTargets = (connectionId) => {
      const secret = webhookSecrets.get(connectionId);
      return secret && publicUrl ? { deliveryUrl: webhookDeliveryUrl(publicUrl, connectionId), secret } : undefined;
    };

    const workerConnection: NativeConnection = await connectWorkerConnection(target);
    stops.push({ name: 'worker connection', fn: () => workerConnection.close() });
    const worker = await createPossyncWorker({
      connection: workerConnection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: syncDb, woo,
      webhookTargets, connectionsReloader, workflowBundle: opts.workflowBundle, shutdownGraceTime: config.workerShutdownGraceSeconds * 1000,
      creationTiming: creationTimingFor(config.createLandWaitMs), smartbill, ecom,
    });
    const workerRun = worker.run();
    stops.push({ name: 'worker', fn: async () => { if (worker.getState() === 'RUNNING') worker.shutdown(); await workerRun; } });

    const dispatcher = new PushDispatcher(syncDb, client, {
      taskQueue: config.temporal.taskQueue,
      timing: { ...DEFAULT_PUSH_TIMING, quietWindowMs: config.pushQuietWindowMs, idleTimeoutMs: config.pushIdleTimeoutMs },
      log,
    });
    dispatcher.start();
    stops.push({ name: 'push dispatcher', fn: () => dispatcher.stop() });

    const smartbillWaker = new SmartBillWaker(
      (connectionId) => wakeSmartBillApply(client, config.temporal.taskQueue, connectionId),
      (connectionId, err) => log.warn({ err: String(err), connectionId }, 'could not wake smartbill-apply; the movements wait for the next call or start'),
    );
    const server = buildServer({
      db,
      logger: log,
      security: config.security,
      sdkMetricsUrl: opts.sdkMetricsUrl,
      afterCommit: () => dispatcher.kick(),
      checkTemporal: () => client.connection.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({})),
      webhookSecret: (id) => webhookSecrets.get(id),
      startOrderSync: (connectionId, orderId, version) => startOrderSync(client, config.temporal.taskQueue, connectionId, orderId, version),
      startEcomOrderSync: (connectionId, orderId, version) => startEcomOrderSync(client, config.temporal.taskQueue, connectionId, orderId, version),
      smartbill,
      smartbillReceived: (connectionId) => smartbillWaker.wake(connectionId),
    });
    await server.listen({ host: config.http.host, port: config.http.port });
    stops.push({ name: 'HTTP server', fn: () => server.close() });
    const addr = server.server.address();
    const httpUrl = `http://${config.http.host}:${typeof addr === 'object' && addr ? addr.port : config.http.port}`;
    publicUrl ??= httpUrl;

    await ensureReconcileSchedule(client, config.temporal.taskQueue, config.reconcileSeconds, config.pushStrandedAfterSeconds);
    const stopping = new AbortController();
    // The Temporal client adds a listener per call made under the signal (each long poll of a webhook ensure); they are few and end with it.
    setMaxListeners(0, stopping.signal);
    stops.push({ name: 'background calls to Temporal', fn: async () => stopping.abort() });
    const connections = specs
      ? await startConnections({
        stopping: stopping.signal, publicUrl,
        db, client, taskQueue: config.temporal.taskQueue, woo, smartbill, ecom, ecomSandbox, webhookSecrets, sandbox, dataDir: config.dataDir, log, demo: config.demo,
        schedules: { orderPollSeconds: config.orderPollSeconds, webhookCheckSeconds: config.webhookCheckSeconds },
        loadSpecs, reloader: connectionsReloader,
      })
      : undefined;
    // Movements SmartBill sent before a restart that were not applied yet are picked up now.
    for (const c of smartbill.all()) smartbillWaker.wake(c.id);

    return {
      webhookSecrets, localAdminToken,
      config, db, databaseUrl, temporalAddress, temporalUiUrl, client, worker, woo, smartbill, ecom, sandbox, ecomSandbox, server, httpUrl, dispatcher, connections,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
