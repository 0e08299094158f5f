import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Db } from '../db/connection';
import { seedDemo } from '../db/seed-demo';
import { applyConnections, type ApplyResult } from '../activities/pos/connection-apply';
import { runConnectionCheck, type ConnectionsReloader } from '../activities/woocommerce/connection-check-activities';
import type { WooClientRegistry } from '../activities/woocommerce/registry';
import type { WooSandbox } from '../sandbox/woocommerce';
import type { connectionCheck } from '../workflows/connections';
import { connectionCheckWorkflowId, type ConnectionCheckReport, type ConnectionReloadReport } from '../workflows/contracts/connections';
import { ConfigError } from './config';
import { RUNNABLE_KINDS, ecomConnectionOf, smartBillConnectionOf, type ConnectionSpec } from './connection-spec';
import type { EcomRegistry } from '../activities/ecom/registry';
import type { EcomSandbox } from '../sandbox/ecom';
import type { SmartBillRegistry } from '../activities/smartbill/registry';
import { checkSmartBillConnection } from './smartbill-starter';
import { connectionIntervals, ensureConnectionSchedules, removeConnectionSchedules, type ScheduleDefaults } from './connection-schedules';
import { keptWebhookSecret } from './webhook-secret-store';
import { ensureWebhooksNow } from './webhook-health-starter';
import { ensureStockAggregationSchedule } from './stock-aggregation-schedule';
import { ensureEcomOrderPoll } from './ecom-order-starter';

/**
 * At `npm start`: whether the demo connection's catalog must be pushed (issue 6 point 4). Only a
 * new connection is: one without any link yet, including one whose store is new (the sandbox
 * starts empty on every run, or the configured store URL changed), whose old links mean nothing
 * and are dropped. Otherwise nothing is re-pushed; `possync sync-catalog` does it on request.
 */
export async function prepareConnectionForStart(
  db: Db, c: { connectionId: string; storeUrl: string; previousUrl: string | undefined; freshStore: boolean },
): Promise<{ isNew: boolean }> {
  const storeChanged = c.previousUrl !== undefined && c.previousUrl !== c.storeUrl;
  if (c.freshStore || storeChanged) {
    await db('product_links').where({ connection_id: c.connectionId }).delete();
    await db('shop_creations').where({ connection_id: c.connectionId }).delete();
  }
  const anyLink = await db('product_links').where({ connection_id: c.connectionId }).first('id');
  return { isNew: !anyLink };
}

export interface ConnectionStartDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  woo: WooClientRegistry;
  /** SmartBill connections of this process (issue 12), fed from the configuration like the shops' credentials. */
  smartbill?: SmartBillRegistry;
  /** Lightspeed eCom connections of this process (issue 10), fed from the configuration. */
  ecom?: EcomRegistry;
  webhookSecrets: Map<string, string>;
  sandbox?: WooSandbox;
  ecomSandbox?: EcomSandbox;
  dataDir: string;
  log: Logger;
  /** POSSYNC_DEMO: the demo catalog for a start whose connections are all sandboxes. */
  demo: boolean;
  schedules: ScheduleDefaults;
  /** Reads the configured connections (again at `possync connections reload`). */
  loadSpecs: () => ConnectionSpec[];
  reloader: ConnectionsReloader;
  /** Where shops reach this installation (eCom's order webhook address); unset: eCom orders come by the poll only. */
  publicUrl?: string;
  /** Aborted when the stack stops: background calls to Temporal (a slow store's webhooks) end with it. */
  stopping: AbortSignal;
}

export interface ConnectionStatus {
  id: string;
  kind: ConnectionSpec['kind'];
  name: string;
  sandbox: boolean;
  url?: string;
  /** No links yet: its catalog is to be pushed once it passes its check. */
  isNew: boolean;
  check: ConnectionCheckReport;
}

export interface ConnectionsStart {
  connections: ConnectionStatus[];
  demoSeeded: boolean;
  applied: ApplyResult;
}

/**
 * Issue 9 and issue 8 points 2, 3: brings the database to the configured connections, keeps each
 * connection's credentials in this process and its webhook secret in the data folder, seeds the
 * demo only for sandbox-only starts, checks every connection (one that fails is blocked: no pushes
 * until it passes) and brings its schedules to its settings.
 */
export async function startConnections(deps: ConnectionStartDeps): Promise<ConnectionsStart> {
  const specs = withSandbox(deps.loadSpecs(), deps);
  const realShops = specs.filter((s) => !s.sandbox).map((s) => s.id);
  if (realShops.length > 0 && (await holdsDemoCatalog(deps.db))) {
    throw new ConfigError(
      `the database holds the demo catalog, which must never reach a real shop (${realShops.join(', ')}): ` +
      'start the real shops with another data folder (POSSYNC_DATA_DIR) or database (DATABASE_URL)',
    );
  }
  let demoSeeded = false;
  if (deps.demo && realShops.length === 0) {
    ({ seeded: demoSeeded } = await seedDemo(deps.db));
    if (demoSeeded) deps.log.info('seeded the demo catalog: 2 outlets, 2 registers, 50 products');
  }
  const applied = await applyConnections(deps.db, specs);
  const isNew = await registerInProcess(deps, specs, applied, true);
  const checks = await Promise.all(specs.map((s) => checkAtStart(deps, s)));
  await scheduleConnections(deps, specs, applied.deactivated, checks);
  deps.reloader.current = () => reloadConnections(deps);
  const connections = specs.map((s, i) => ({
    id: s.id, kind: s.kind, name: s.name, sandbox: s.sandbox, url: s.url, isNew: isNew.get(s.id) ?? false, check: checks[i]!,
  }));
  for (const c of connections) {
    if (c.check.ok) deps.log.info({ connectionId: c.id }, `connection ${c.id}: ok`);
    else deps.log.warn({ connectionId: c.id, problem: c.check.problem }, `connection ${c.id}: ${c.check.problem}`);
  }
  return { connections, demoSeeded, applied };
}

/** `possync connections reload`: the same steps on the configuration as it is now. */
async function reloadConnections(deps: ConnectionStartDeps): Promise<ConnectionReloadReport> {
  const specs = withSandbox(deps.loadSpecs(), deps);
  const applied = await applyConnections(deps.db, specs);
  await registerInProcess(deps, specs, applied, false);
  const checks = await Promise.all(specs.map((s) => (!runnable(s) ? unavailable(s)
    : s.kind === 'smartbill' ? checkSmartBillConnection(deps.client, deps.taskQueue, s.id)
    : runConnectionCheck({ db: deps.db, woo: deps.woo, ecom: deps.ecom }, s.id))));
  await scheduleConnections(deps, specs, applied.deactivated, checks);
  return { added: applied.added, changed: applied.changed, deactivated: applied.deactivated, unchanged: applied.unchanged, checks };
}

const runnable = (s: ConnectionSpec) => RUNNABLE_KINDS.includes(s.kind);

function unavailable(s: ConnectionSpec): ConnectionCheckReport {
  return {
    connectionId: s.id, ok: false, unavailable: true,
    steps: { reachable: 'not checked', credentials: 'not checked', read: 'not checked', write: 'not checked' },
    problem: `the ${s.kind} channel is not available yet: the connection is stored and nothing is synced`,
  };
}

/** A sandbox connection runs against the embedded sandbox store of its kind in this process. */
function withSandbox(specs: ConnectionSpec[], { sandbox, ecomSandbox }: Pick<ConnectionStartDeps, 'sandbox' | 'ecomSandbox'>): ConnectionSpec[] {
  return specs.map((s) => {
    if (!s.sandbox) return s;
    if (s.kind === 'ecom') {
      if (!ecomSandbox) throw new ConfigError(`connection ${s.id}.sandbox: no eCom sandbox runs in this process (it starts with npm start)`);
      return { ...s, url: ecomSandbox.url, secrets: { api_key: ecomSandbox.apiKey, api_secret: ecomSandbox.apiSecret } };
    }
    if (s.kind !== 'woocommerce') return s;
    if (!sandbox) throw new ConfigError(`connection ${s.id}.sandbox: no sandbox store runs in this process`);
    return { ...s, url: sandbox.url, credentials: { consumerKey: sandbox.consumerKey, consumerSecret: sandbox.consumerSecret } };
  });
}

async function holdsDemoCatalog(db: Db): Promise<boolean> {
  return (await db('stock_movements').where({ reference_type: 'demo_seed' }).first('id')) !== undefined;
}

/** Credentials into the registry, webhook secrets (configured, or generated once and kept); returns which connections are new. */
async function registerInProcess(deps: ConnectionStartDeps, specs: ConnectionSpec[], applied: ApplyResult, atStart: boolean): Promise<Map<string, boolean>> {
  const isNew = new Map<string, boolean>();
  for (const s of specs) {
    if (s.kind === 'smartbill') deps.smartbill?.set(smartBillConnectionOf(s));
    if (s.kind === 'ecom') {
      deps.ecom?.set(ecomConnectionOf(s));
      // The embedded eCom sandbox keeps its shop in the data folder on a new port each run: it is new
      // only when it started empty (first start, reset), whatever its URL.
      const previousUrl = applied.previousUrls[s.id];
      const prepared = await prepareConnectionForStart(deps.db, {
        connectionId: s.id, storeUrl: s.sandbox ? (previousUrl ?? s.url ?? '') : (s.url ?? ''), previousUrl,
        freshStore: s.sandbox && atStart && !deps.ecomSandbox?.restored,
      });
      isNew.set(s.id, prepared.isNew);
    }
  }
  for (const s of specs) {
    if (s.kind !== 'woocommerce' || !s.credentials || !s.url) continue;
    deps.woo.set(s.id, { baseUrl: s.url, ...s.credentials });
    deps.webhookSecrets.set(s.id, s.webhookSecret ?? keptWebhookSecret(deps.dataDir, s.id));
    const prepared = await prepareConnectionForStart(deps.db, {
      // The sandbox store keeps its state in the data folder; it is new only when it started empty (first start, reset).
      connectionId: s.id, storeUrl: s.url, previousUrl: applied.previousUrls[s.id], freshStore: s.sandbox && atStart && !deps.sandbox?.restored,
    });
    isNew.set(s.id, prepared.isNew);
  }
  for (const id of applied.deactivated) {
    deps.smartbill?.delete(id);
    deps.ecom?.delete(id);
    deps.woo.delete(id);
    deps.webhookSecrets.delete(id);
  }
  return isNew;
}

async function checkAtStart(deps: ConnectionStartDeps, s: ConnectionSpec): Promise<ConnectionCheckReport> {
  if (!runnable(s)) return unavailable(s);
  if (s.kind === 'smartbill') return checkSmartBillConnection(deps.client, deps.taskQueue, s.id);
  return deps.client.workflow.execute<typeof connectionCheck>('connectionCheck', {
    workflowId: connectionCheckWorkflowId(s.id),
    taskQueue: deps.taskQueue,
    args: [{ connectionId: s.id }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}

/**
 * Schedules follow the connections: an active WooCommerce connection polls orders and keeps its
 * webhooks (created now when its check passed; a failing store must not hold the start), every
 * active shop connection (WooCommerce, eCom) aggregates its stock (issue 11), a deactivated one has none.
 */
async function scheduleConnections(deps: ConnectionStartDeps, specs: ConnectionSpec[], deactivated: string[], checks: ConnectionCheckReport[]): Promise<void> {
  for (const s of specs) {
    if (s.kind === 'woocommerce' || s.kind === 'ecom') await ensureStockAggregationSchedule(deps.client, deps.taskQueue, s.id, s.settings);
  }
  for (const [i, s] of specs.entries()) {
    if (s.kind === 'ecom' && runnable(s)) {
      await ensureEcomOrderPoll(deps.client, deps.taskQueue, s.id, { everySeconds: connectionIntervals(s.settings, deps.schedules).orderPollSeconds, publicUrl: deps.publicUrl });
    }
    if (s.kind !== 'woocommerce') continue;
    await ensureConnectionSchedules(deps.client, deps.taskQueue, s.id, connectionIntervals(s.settings, deps.schedules));
    if (!checks[i]!.ok) continue;
    const ensured = deps.client.withAbortSignal(deps.stopping, () => ensureWebhooksNow(deps.client, deps.taskQueue, s.id)).then(
      (report) => deps.log.info({ report }, `order webhooks of ${s.id} ensured`),
      (err) => deps.stopping.aborted || deps.log.warn({ err: String(err) }, `could not ensure the order webhooks of ${s.id} now; the webhook-health schedule retries`),
    );
    // The sandbox answers at once; a real store's webhooks are ensured in the background.
    if (s.sandbox) await ensured;
  }
  for (const id of deactivated) await removeConnectionSchedules(deps.client, id);
}
