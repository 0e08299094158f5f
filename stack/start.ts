import crypto from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { connectDb, migrateToLatest, type Db } from '../db/connection';
import { seedDemo } from '../db/seed-demo';
import { WooClientRegistry } from '../activities/woocommerce/registry';
import { startWooSandbox, type WooSandbox } from '../sandbox/woocommerce';
import { buildServer } from '../server/app';
import { PushDispatcher } from '../server/push-dispatcher';
import { createPossyncWorker } from '../workers/create-worker';
import { DEFAULT_PUSH_TIMING } from '../workflows/contracts/product-push';
import type { Config } from './config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { connectClient, connectWorkerConnection } from './temporal-connection';
import { ensureOrderPollSchedule, startOrderSync } from './order-sync-starter';
import { startTemporalDevServer } from './temporal-dev-server';
import { prepareConnectionForStart } from './connection-start';

export interface Stack {
  config: Config;
  db: Db;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  client: Client;
  worker: Worker;
  woo: WooClientRegistry;
  sandbox?: WooSandbox;
  server: FastifyInstance;
  httpUrl: string;
  dispatcher: PushDispatcher;
  /** npm start: the demo connection was just created (or its store is a fresh sandbox), so its catalog must be synced. */
  connectionIsNew: boolean;
  /** Webhook secret per connection id; tests and connection setup add theirs. */
  webhookSecrets: Map<string, string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  config: Config;
  log: Logger;
  /** Seed the demo catalog on an empty database (npm start). */
  seedDemo?: boolean;
  headless?: boolean;
  workflowBundle?: { code: string };
  temporalDbFile?: string;
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
  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), port: config.database.embeddedPort });
      stops.push({ name: 'embedded PostgreSQL', fn: () => pg.stop() });
      databaseUrl = pg.url;
    }
    // The API and the sync side (worker, dispatcher) get their own pools, so a burst of till
    // traffic cannot make the pushes queue for a connection (and the other way round).
    const db = connectDb(databaseUrl, { max: 16 });
    stops.push({ name: 'database pool', fn: () => db.destroy() });
    const syncDb = connectDb(databaseUrl, { max: 8 });
    stops.push({ name: 'sync database pool', fn: () => syncDb.destroy() });
    await migrateToLatest(db);

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
      stops.push({ name: 'Temporal dev server', fn: () => dev.stop() });
      temporalAddress = dev.address;
      temporalUiUrl = dev.uiUrl || undefined;
    }
    const target = { address: temporalAddress, namespace: config.temporal.namespace, apiKey: config.temporal.apiKey, tls: config.temporal.tls };
    const client = await connectClient(target);
    stops.push({ name: 'Temporal client', fn: () => client.connection.close() });

    const woo = new WooClientRegistry();
    let sandbox: WooSandbox | undefined;
    let storeUrl: string;
    if (config.woo) {
      woo.set(config.woo.connectionId, config.woo);
      storeUrl = config.woo.baseUrl;
    } else {
      sandbox = await startWooSandbox({ port: config.sandbox.port, latency: { perRequestMs: config.sandbox.latencyMs } });
      stops.push({ name: 'WooCommerce sandbox', fn: () => sandbox!.close() });
      woo.set(config.wooConnectionId, { baseUrl: sandbox.url, consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret });
      storeUrl = sandbox.url;
    }
    let connectionIsNew = false;
    if (opts.seedDemo) {
      const previous = await db('connections').where({ id: config.wooConnectionId }).first('base_url');
      const { seeded } = await seedDemo(db, { id: config.wooConnectionId, name: config.woo ? 'WooCommerce store' : 'WooCommerce sandbox', baseUrl: storeUrl });
      if (seeded) log.info('seeded the demo catalog: 2 outlets, 2 registers, 50 products');
      await db('connections').where({ id: config.wooConnectionId }).update({ base_url: storeUrl });
      ({ isNew: connectionIsNew } = await prepareConnectionForStart(db, {
        connectionId: config.wooConnectionId, storeUrl, previousUrl: previous?.base_url, freshStore: sandbox !== undefined,
      }));
    }

    const workerConnection: NativeConnection = await connectWorkerConnection(target);
    stops.push({ name: 'worker connection', fn: () => workerConnection.close() });
    const worker = await createPossyncWorker({
      connection: workerConnection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db: syncDb, woo,
      workflowBundle: opts.workflowBundle,
      creationTiming: { landWaitMs: config.createLandWaitMs, pollMs: Math.min(2_000, Math.max(200, config.createLandWaitMs / 20)) },
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

    const webhookSecrets = new Map<string, string>();
    const mainSecret = config.woo?.webhookSecret ?? config.wooWebhookSecret ?? crypto.randomBytes(24).toString('base64url');
    webhookSecrets.set(config.wooConnectionId, mainSecret);
    const server = buildServer({
      db,
      logger: log,
      afterCommit: () => dispatcher.kick(),
      webhookSecret: (id) => webhookSecrets.get(id),
      startOrderSync: (connectionId, orderId, version) => startOrderSync(client, config.temporal.taskQueue, connectionId, orderId, version),
    });
    await server.listen({ host: config.http.host, port: config.http.port });
    stops.push({ name: 'HTTP server', fn: () => server.close() });
    const addr = server.server.address();
    const httpUrl = `http://${config.http.host}:${typeof addr === 'object' && addr ? addr.port : config.http.port}`;

    if (opts.seedDemo) {
      await ensureOrderPollSchedule(client, config.temporal.taskQueue, config.wooConnectionId, config.orderPollSeconds);
      if (sandbox) {
        // The sandbox store forgets its webhooks between runs: subscribe our endpoint again (M-B1).
        for (const topic of ['order.created', 'order.updated']) {
          await woo.get(config.wooConnectionId).createWebhook({
            name: `possync ${topic}`, topic, delivery_url: `${httpUrl}/webhooks/woocommerce/${config.wooConnectionId}`, secret: mainSecret,
          });
        }
      }
    }

    return {
      webhookSecrets,
      config, db, databaseUrl, temporalAddress, temporalUiUrl, client, worker, woo, sandbox, server, httpUrl, dispatcher, connectionIsNew,
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
