import { connectDb, migrateToLatest } from '../db/connection';
import { ConfigError, loadConfig } from '../stack/config';
import { createLogger } from '../stack/logger';
import { ensureOrderPoll, startOrderSync } from '../stack/order-sync-starter';
import { startEcomOrderSync } from '../stack/ecom-order-starter';
import { ensureWebhookHealthSchedule } from '../stack/webhook-health-starter';
import { ensureReconcileSchedule } from '../stack/reconcile-schedule';
import { connectClient } from '../stack/temporal-connection';
import { DEFAULT_PUSH_TIMING } from '../workflows/contracts/product-push';
import { buildServer } from './app';
import { PushDispatcher } from './push-dispatcher';

/**
 * The POS API on its own (`npm run api`), for running several behind a load balancer: it needs
 * DATABASE_URL and TEMPORAL_ADDRESS, and leaves the pushes to standalone workers (`npm run worker`)
 * on the same task queue. Each process drains the shared outbox (rows are taken with SKIP LOCKED),
 * so any of them signals the pushes. SIGTERM or SIGINT: stops taking requests, then exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.database.url || !config.temporal.address) {
    throw new ConfigError('A standalone API needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything for you).');
  }
  // As in npm start: the tills and the push dispatcher get their own pools.
  const db = connectDb(config.database.url, { max: 16, acquireTimeoutMs: 10_000 });
  const syncDb = connectDb(config.database.url, { max: 4 });
  await migrateToLatest(db);
  const client = await connectClient({
    address: config.temporal.address, namespace: config.temporal.namespace, apiKey: config.temporal.apiKey, tls: config.temporal.tls,
  });
  const dispatcher = new PushDispatcher(syncDb, client, {
    taskQueue: config.temporal.taskQueue,
    timing: { ...DEFAULT_PUSH_TIMING, quietWindowMs: config.pushQuietWindowMs, idleTimeoutMs: config.pushIdleTimeoutMs },
    log,
  });
  dispatcher.start();
  const webhookSecret = config.woo?.webhookSecret ?? config.wooWebhookSecret;
  const server = buildServer({
    db,
    logger: log,
    security: config.security,
    afterCommit: () => dispatcher.kick(),
    checkTemporal: () => client.connection.withDeadline(Date.now() + 2000, () => client.workflowService.getSystemInfo({})),
    webhookSecret: (id) => (id === config.wooConnectionId ? webhookSecret : undefined),
    startOrderSync: (connectionId, orderId, version) => startOrderSync(client, config.temporal.taskQueue, connectionId, orderId, version),
    startEcomOrderSync: (connectionId, orderId, version) => startEcomOrderSync(client, config.temporal.taskQueue, connectionId, orderId, version),
  });
  await server.listen({ host: config.http.host, port: config.http.port });
  await ensureReconcileSchedule(client, config.temporal.taskQueue, config.reconcileSeconds, config.pushStrandedAfterSeconds);
  if (config.woo) {
    // The configured store's order poll and webhook check, as npm start keeps them (upserts: any API may run them).
    await ensureOrderPoll(client, config.temporal.taskQueue, config.woo.connectionId, config.orderPollSeconds);
    await ensureWebhookHealthSchedule(client, config.temporal.taskQueue, config.woo.connectionId, config.webhookCheckSeconds);
  }
  const addr = server.server.address();
  const url = `http://${config.http.host}:${typeof addr === 'object' && addr ? addr.port : config.http.port}`;
  log.info({ url, taskQueue: config.temporal.taskQueue }, 'api listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping the API`);
    void (async () => {
      await server.close();
      await dispatcher.stop();
      await client.connection.close();
      await Promise.all([db.destroy(), syncDb.destroy()]);
      log.info('api stopped');
      process.exit(0);
    })().catch((err) => {
      log.error({ err: String(err) }, 'stopping the API failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
