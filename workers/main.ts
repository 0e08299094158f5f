import { creationTimingFor } from '../activities/woocommerce/shop-creations';
import { connectDb, migrateToLatest } from '../db/connection';
import { WooClientRegistry } from '../activities/woocommerce/registry';
import type { WebhookTargets } from '../activities';
import { ConfigError, loadConfig } from '../stack/config';
import { createLogger } from '../stack/logger';
import { installSdkLogger } from '../stack/sdk-logger';
import { webhookDeliveryUrl } from '../stack/webhook-health-starter';
import { connectWorkerConnection } from '../stack/temporal-connection';
import { createPossyncWorker } from './create-worker';
import { prebuiltWorkflowBundle } from './workflow-bundle';
import { startMetricsServer } from '../server/metrics/metrics-server';
import { freePort } from '../stack/temporal-dev-server';
import { configuredConnections } from '../stack/connection-set';
import { ecomConnectionOf, smartBillConnectionOf } from '../stack/connection-spec';
import { SmartBillRegistry } from '../activities/smartbill/registry';
import { EcomRegistry } from '../activities/ecom/registry';

/**
 * A worker process on its own (`npm run worker`), for running more workers on more machines.
 * It needs DATABASE_URL and TEMPORAL_ADDRESS, the connections (POSSYNC_CONNECTIONS, or WOO_*), and the workflow
 * bundle built by `npm run build:workflows`. SIGTERM or SIGINT stop it gracefully: it takes no new
 * tasks, running activities get WORKER_SHUTDOWN_GRACE_SECONDS to finish, then it exits 0.
 * Its metrics (possync_* of this process and the Temporal SDK's) are at WORKER_METRICS_ADDRESS/metrics.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.database.url || !config.temporal.address) {
    throw new ConfigError('A standalone worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs one for you).');
  }
  const workflowBundle = prebuiltWorkflowBundle(config.workflowBundlePath);
  // The SDK's exporter on a loopback port of its own; WORKER_METRICS_ADDRESS serves it with possync's figures.
  const sdkMetricsPort = await freePort();
  installSdkLogger(log, { metricsBindAddress: `127.0.0.1:${sdkMetricsPort}` });
  const db = connectDb(config.database.url, { max: 20 });
  await migrateToLatest(db);
  // The same connections as npm start (the connections file and the WOO_* shortcut); a sandbox lives only in npm start.
  const woo = new WooClientRegistry();
  const smartbill = new SmartBillRegistry();
  const ecom = new EcomRegistry();
  const secrets = new Map<string, string>();
  for (const spec of configuredConnections(config)) {
    if (spec.kind === 'woocommerce' && !spec.sandbox && spec.url && spec.credentials) {
      woo.set(spec.id, { baseUrl: spec.url, ...spec.credentials });
      const secret = spec.webhookSecret ?? config.wooWebhookSecret;
      if (secret) secrets.set(spec.id, secret);
    }
    if (spec.kind === 'smartbill') smartbill.set(smartBillConnectionOf(spec));
    if (spec.kind === 'ecom' && !spec.sandbox) ecom.set(ecomConnectionOf(spec));
  }
  const publicUrl = config.publicUrl ?? config.apiUrl;
  const webhookTargets: WebhookTargets = (connectionId) => {
    const secret = secrets.get(connectionId);
    return secret ? { deliveryUrl: webhookDeliveryUrl(publicUrl, connectionId), secret } : undefined;
  };
  const connection = await connectWorkerConnection({
    address: config.temporal.address, namespace: config.temporal.namespace, apiKey: config.temporal.apiKey, tls: config.temporal.tls,
  });
  try {
    const worker = await createPossyncWorker({
      connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db, woo, webhookTargets,
      workflowBundle, shutdownGraceTime: config.workerShutdownGraceSeconds * 1000,
      creationTiming: creationTimingFor(config.createLandWaitMs), smartbill, ecom,
    });
    const metrics = config.workerMetricsAddress
      ? await startMetricsServer(config.workerMetricsAddress, { sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics` })
      : undefined;
    log.info({ taskQueue: config.temporal.taskQueue, bundle: workflowBundle.codePath, metrics: metrics?.url }, 'worker running');
    // Resolves once the Runtime's SIGTERM/SIGINT handler has shut the worker down and its tasks are done.
    await worker.run();
    await metrics?.close();
    log.info('worker stopped');
  } finally {
    // A worker that failed to start or run may still hold the connection: its own error is the one to show.
    await connection.close().catch(() => undefined);
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
