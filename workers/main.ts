import { DefaultLogger, Runtime } from '@temporalio/worker';
import { connectDb, migrateToLatest } from '../db/connection';
import { WooClientRegistry } from '../activities/woocommerce/registry';
import { ConfigError, loadConfig } from '../stack/config';
import { createLogger } from '../stack/logger';
import { connectWorkerConnection } from '../stack/temporal-connection';
import { createPossyncWorker } from './create-worker';

/**
 * A worker process on its own (`npm run worker`), for running more workers on more machines.
 * It needs DATABASE_URL and TEMPORAL_ADDRESS, and the shop credentials in WOO_*.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.database.url || !config.temporal.address) {
    throw new ConfigError('A standalone worker needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs one for you).');
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const db = connectDb(config.database.url, { max: 20 });
  await migrateToLatest(db);
  const woo = new WooClientRegistry();
  if (config.woo) woo.set(config.woo.connectionId, config.woo);
  const connection = await connectWorkerConnection({
    address: config.temporal.address, namespace: config.temporal.namespace, apiKey: config.temporal.apiKey, tls: config.temporal.tls,
  });
  const worker = await createPossyncWorker({
    connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db, woo,
    creationTiming: { landWaitMs: config.createLandWaitMs, pollMs: Math.min(2_000, Math.max(200, config.createLandWaitMs / 20)) },
  });
  log.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
  await worker.run();
  await connection.close();
  await db.destroy();
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
