import { ConfigError, loadConfig } from '../stack/config';
import { createLogger } from '../stack/logger';
import { installSdkLogger } from '../stack/sdk-logger';
import { startStack } from '../stack/start';
import { PortTakenError } from '../stack/port-errors';
import type { LocalAdminToken } from '../server/auth/local-admin-token';
import { seedDemoHistory } from '../stack/demo-history';
import { freePort } from '../stack/temporal-dev-server';
import type { ConnectionStatus } from '../stack/connection-start';
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
  const stack = await startStack({ config, log, startConnections: true, sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics` });
  const connections = stack.connections?.connections ?? [];

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

  // The whole catalog is pushed only to a new connection (issue 6 point 4), once it passed its check
  // (issue 8 point 3); later, on request: `possync sync-catalog <connection>`.
  for (const c of connections) {
    if ((c.kind !== 'woocommerce' && c.kind !== 'ecom') || !c.check.ok) continue;
    if (!c.isNew) {
      log.info(`catalog of ${c.id} already synced; \`npm run possync -- sync-catalog ${c.id}\` pushes it all again`);
      continue;
    }
    const sync = await stack.client.workflow.start<typeof catalogSync>(c.kind === 'ecom' ? 'ecomCatalogSync' : 'catalogSync', {
      workflowId: catalogSyncWorkflowId(c.id),
      taskQueue: config.temporal.taskQueue,
      args: [{ connectionId: c.id }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
    if (c.kind !== 'woocommerce' || !stack.sandbox || !c.sandbox || !config.demo) continue;
    // A new sandbox store: once the catalog is in it, give it an order history from before the connection (M-B2).
    await sync.result();
    const history = await seedDemoHistory({ db: stack.db, sandbox: stack.sandbox, afterCommit: () => stack.dispatcher.kick() }, c.id);
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
        `  Sandbox REST API   ${stack.sandbox.url}/wp-json/wc/v3   (http needs OAuth 1.0a signed requests)`,
        `                     key ${stack.sandbox.consumerKey}  secret ${stack.sandbox.consumerSecret}   (sandbox only, not secret)`,
      ]
      : []),
    ...(stack.ecomSandbox
      ? [
        `  eCom sandbox API   ${stack.ecomSandbox.url}/nl/products.json   (Basic auth; npm run possync -- status <sku> shows the eCom link)`,
        `                     key ${stack.ecomSandbox.apiKey}  secret ${stack.ecomSandbox.apiSecret}   (sandbox only, not secret)`,
      ]
      : []),
    '  Connections (checked at start):',
    ...connections.map(connectionLine),
    `  Temporal Web UI    ${stack.temporalUiUrl ?? `(external server ${stack.temporalAddress})`}`,
    `  PostgreSQL         ${decodeURIComponent(stack.databaseUrl.replace(/:[^:@/]+@/, ':***@'))}`,
    '',
    `  Record a sale:     curl -X POST ${stack.httpUrl}/api/sales -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `                       -d '{"register_id":1,"lines":[{"sku":"DEMO-001","quantity":1}]}'`,
    `  Then look:         npm run possync -- status DEMO-001   (and: npm run possync -- shop ${connections[0]?.id ?? config.wooConnectionId} DEMO-001)`,
    `  Import history:    npm run possync -- import start ${connections[0]?.id ?? config.wooConnectionId} --watch   (pause/resume from another terminal)`,
    `  Connections:       npm run possync -- connections   (test <id>, reload)`,
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

/** One line per connection: where it is and whether it passed its check at start (issue 8 point 3). */
function connectionLine(c: ConnectionStatus): string {
  const api = c.kind === 'ecom' ? '' : '/wp-json/wc/v3';
  const where = c.sandbox ? `${c.url}${api} (sandbox)` : (c.url ?? '');
  const state = c.check.ok ? 'ok: reachable, key accepted, read/write'
    : c.check.unavailable ? c.check.problem
    : `FAILED, no pushes until it passes: ${c.check.problem}`;
  return `  ${c.kind.padEnd(11)} ${c.id.padEnd(14)} ${where}\n${' '.repeat(15)}${state}`;
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof PortTakenError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
