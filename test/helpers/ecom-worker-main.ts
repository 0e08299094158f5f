// A standalone worker process for the eCom tests: workers/main.ts with the eCom connection given
// as ECOM_TEST_CONNECTION (JSON), until the connections file carries eCom credentials.
import { EcomRegistry } from '../../activities/ecom/registry';
import { WooClientRegistry } from '../../activities/woocommerce/registry';
import { connectDb } from '../../db/connection';
import { loadConfig } from '../../stack/config';
import { connectWorkerConnection } from '../../stack/temporal-connection';
import { createPossyncWorker } from '../../workers/create-worker';
import { prebuiltWorkflowBundle } from '../../workers/workflow-bundle';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = connectDb(config.database.url!, { max: 20 });
  const ecom = new EcomRegistry();
  ecom.set(JSON.parse(process.env.ECOM_TEST_CONNECTION!));
  const connection = await connectWorkerConnection({ address: config.temporal.address!, namespace: config.temporal.namespace });
  const worker = await createPossyncWorker({
    connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, db, woo: new WooClientRegistry(), ecom,
    workflowBundle: prebuiltWorkflowBundle(config.workflowBundlePath),
  });
  console.log('worker running');
  await worker.run();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
