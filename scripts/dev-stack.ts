import { ConfigError, loadConfig } from '../stack/config';
import { createLogger } from '../stack/logger';
import { installSdkLogger } from '../stack/sdk-logger';
import { startStack } from '../stack/start';
import { PortTakenError } from '../stack/port-errors';
import type { LocalAdminToken } from '../server/auth/local-admin-token';
import { seedDemoHistory } from '../stack/demo-history';
import { freePort } from '../stack/temporal-dev-server';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { catalogSync } from '../workflows/catalog-sync';

/**
 * `npm start`: the whole service on its embedded defaults: PostgreSQL, the Temporal dev
 * server with its Web UI, the worker, the POS API and the WooCommerce sandbox store, with a
 * demo catalog linked to that store. Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // SDK logs as JSON lines like ours; Ctrl-C is handled below, stopping every part in order.
  // The SDK's metrics exporter on a loopback port; GET /metrics of the API reads it through.
  const sdkMetricsPort = await freePort();
  installSdkLogger(log, { shutdownSignals: [], metricsBindAddress: `127.0.0.1:${sdkMetricsPort}` });
  log.info('starting possync (first start takes a minute: PostgreSQL is initialised and the workflows bundled)');
  const stack = await startStack({ config, log, seedDemo: true, sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics` });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping every part`);
    stack.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err: String(err) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // The whole catalog is pushed only to a new connection (issue 6 point 4); later, on request:
  // `possync sync-catalog <connection>`. Changes made meanwhile are pushed by their own workflows.
  const sync = stack.connectionIsNew
    ? await stack.client.workflow.start<typeof catalogSync>('catalogSync', {
      workflowId: catalogSyncWorkflowId(config.wooConnectionId),
      taskQueue: config.temporal.taskQueue,
      args: [{ connectionId: config.wooConnectionId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    })
    : undefined;
  if (!sync) log.info(`catalog of ${config.wooConnectionId} already synced; \`npm run possync -- sync-catalog ${config.wooConnectionId}\` pushes it all again`);
  if (stack.sandbox && sync) {
    // A new sandbox store: once the catalog is in it, give it an order history from before the connection.
    await sync.result();
    const history = await seedDemoHistory({ db: stack.db, sandbox: stack.sandbox, afterCommit: () => stack.dispatcher.kick() }, config.wooConnectionId);
    log.info(`the sandbox store holds ${history.orders} history orders placed before the connection; their ${history.unitsReceived} units were received in the POS first, so the import leaves the demo stock as seeded`);
  }

  const lines = [
    '',
    'possync is running',
    `  POS API            ${stack.httpUrl}/api   (an index of the API; try: curl -H "authorization: Bearer $TOKEN" ${stack.httpUrl}/api/products)`,
    ...adminTokenLines(stack.localAdminToken),
    ...(stack.sandbox
      ? [
        `  Sandbox store page ${stack.sandbox.url}/   (read-only, refreshes itself; JSON: ${stack.sandbox.url}/store.json)`,
        `  WooCommerce store  ${stack.sandbox.url}/wp-json/wc/v3   (sandbox; http needs OAuth 1.0a signed requests)`,
        `                     key ${stack.sandbox.consumerKey}  secret ${stack.sandbox.consumerSecret}   (sandbox only, not secret)`,
      ]
      : [`  WooCommerce store  ${config.woo?.baseUrl}`]),
    `  Temporal Web UI    ${stack.temporalUiUrl ?? `(external server ${stack.temporalAddress})`}`,
    `  PostgreSQL         ${decodeURIComponent(stack.databaseUrl.replace(/:[^:@/]+@/, ':***@'))}`,
    '',
    `  Record a sale:     curl -X POST ${stack.httpUrl}/api/sales -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `                       -d '{"register_id":1,"lines":[{"sku":"DEMO-001","quantity":1}]}'`,
    `  Then look:         npm run possync -- status DEMO-001   (and: npm run possync -- shop ${config.wooConnectionId} DEMO-001)`,
    `  Import history:    npm run possync -- import start ${config.wooConnectionId} --watch   (pause/resume from another terminal)`,
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

/** The admin token is printed once, on the run that made it; later runs say where it is. */
function adminTokenLines(t: LocalAdminToken): string[] {
  const read = `TOKEN=$(cat ${t.path})`;
  if (t.created) return [`  Admin token        ${t.created}`, `                     (shown only now; kept owner-only in ${t.path} for the CLI: ${read})`];
  if (t.revoked) return [`  Admin token        REVOKED; delete ${t.path} and restart for a new one`];
  return [`  Admin token        in ${t.path} (the CLI reads it; for curl: ${read})`];
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof PortTakenError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
