import type { WindowUse } from '../sandbox/ecom/types';
import { startEcomSandbox, type EcomSandbox } from '../sandbox/ecom';
import type { Stack } from '../stack/start';
import { catalogSyncWorkflowId } from '../workflows/contracts/catalog-sync';
import type { ecomCatalogSync } from '../workflows/ecom-catalog-sync';
import { readEcomBudget } from '../activities/ecom/budget-report';
import { report, seedCatalog } from './harness';

export interface EcomCatalogSetting {
  name: string;
  /** Also sync the unchanged catalog a second time (benchmark b). */
  again: boolean;
  simple: number;
  variable: number;
  variations: number;
  /** The sandbox's (and the budget's) time scale: real seconds per API second. */
  timeScale: number;
}

const LIMITS = [300, 3000, 12000] as const;

/**
 * Issue 10 benchmarks (a) and (b) on the real path: a new eCom connection, `sync-catalog` (the
 * ecomCatalogSync workflow) queues the catalog, the writer workflow ecom-writer/<connection> writes
 * it through writeEcomProduct and the budget shared in PostgreSQL, against the sandbox's real
 * limits with time-scaled windows. Then the unchanged catalog is synced again.
 */
export async function ecomCatalogBench(stack: Stack, s: EcomCatalogSetting): Promise<void> {
  const { sandbox, connectionId, outletId, close } = await benchEcomShop(stack, s.name, s.timeScale);
  const { db } = stack;
  try {
    await seedCatalog(db, { prefix: `ECOM-${s.name.toUpperCase()}`, simple: s.simple, variable: s.variable, variations: s.variations, outletId });
    const products = s.simple + s.variable;
    const variants = s.simple + s.variable * s.variations;

    sandbox.resetStats();
    const first = await syncEcomCatalog(stack, connectionId);
    const stats = sandbox.stats();
    const budget = await readEcomBudget(db, connectionId);
    // One write per object created (a product, its default variant turned into the first POS variant,
    // each further variant), the read of each new product's default variant, and the sync's one page.
    const lowerBound = products + variants + products + 1;
    const windows = windowUse(stats.fiveMinuteWindows);
    report(`ecom initial push (${s.name})`, {
      products, variants, timeScale: s.timeScale, seconds: first.seconds,
      requests: stats.requests, request_lower_bound: lowerBound, ratio: round(stats.requests / lowerBound),
      writes: stats.writes, by_route: stats.byRoute, rate_limited: stats.rateLimited, peak_per_second: stats.peakPerSecond,
      shop_products: sandbox.state.products.size, shop_variants: sandbox.state.variants.size,
      five_minute_windows: windows.fiveMinute.length, min_window_use: windows.minUse, windows_under_90: windows.under90,
      hour_windows_used: windows.hours, budget_row: { sent: budget.sent, rate_limited: budget.rateLimited },
      target: 'requests ≤ 1.1× lower bound; zero 429s; every 5-minute window ≥ 90% of what the windows allowed while the backlog waited',
    });

    if (!s.again) return;
    sandbox.resetStats();
    const second = await syncEcomCatalog(stack, connectionId);
    const again = sandbox.stats();
    report(`ecom second sync, unchanged catalog (${s.name})`, {
      products, seconds: second.seconds, requests: again.requests, writes: again.writes, by_route: again.byRoute, rate_limited: again.rateLimited,
      target: '0 writes; reads only',
    });
  } finally {
    await close();
  }
}

export interface BenchEcomShop {
  connectionId: string;
  outletId: number;
  registerId: number;
  sandbox: EcomSandbox;
  /** Forgets the connection (inactive, out of the registry) and stops the sandbox. */
  close(): Promise<void>;
}

/**
 * A new eCom connection (bench-ecom-<name>, its own outlet and register) on a sandbox with the real
 * limits and time-scaled windows; every other connection is deactivated and earlier scenarios'
 * products stay in store only, so the scenario writes only its own catalog.
 */
export async function benchEcomShop(stack: Stack, name: string, timeScale: number): Promise<BenchEcomShop> {
  const sandbox = await startEcomSandbox({ rateLimit: { timeScale } });
  const { db } = stack;
  const connectionId = `bench-ecom-${name}`;
  const [outlet] = await db('outlets').insert({ name: `Bench eCom ${name}` }, ['id']);
  const [register] = await db('registers').insert({ outlet_id: outlet.id, name: 'Bench eCom' }, ['id']);
  await db('connections').update({ active: false });
  await db('products').update({ channels: ['in_store'] });
  await db('connections').insert({ id: connectionId, kind: 'ecom', name: `Bench eCom ${name}`, base_url: sandbox.url, register_id: register.id });
  stack.ecom.set({ id: connectionId, baseUrl: sandbox.url, apiKey: sandbox.apiKey, apiSecret: sandbox.apiSecret, language: 'nl', budget: { timeScale } });
  return {
    connectionId, outletId: outlet.id, registerId: register.id, sandbox,
    async close() {
      stack.ecom.delete(connectionId);
      await db('connections').where({ id: connectionId }).update({ active: false });
      await sandbox.close();
    },
  };
}

/** A full catalog sync of the connection (the ecomCatalogSync workflow, which waits for the writer). */
export async function syncEcomCatalog(stack: Stack, connectionId: string): Promise<{ seconds: number }> {
  const started = Date.now();
  await stack.client.workflow.execute<typeof ecomCatalogSync>('ecomCatalogSync', {
    workflowId: `${catalogSyncWorkflowId(connectionId)}-${started}`, taskQueue: stack.config.temporal.taskQueue, args: [{ connectionId }],
  });
  return { seconds: (Date.now() - started) / 1000 };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Each 5-minute window's use against what the windows allowed in it: 300, or less when the hour
 * window (3,000) ran out first. The last window (the backlog's tail) is left out; a window without
 * a request inside the run counts as unused.
 */
function windowUse(used: WindowUse[]): { fiveMinute: { start: number; used: number; allowed: number }[]; minUse: number; under90: number; hours: number[] } {
  if (used.length < 2) return { fiveMinute: [], minUse: 1, under90: 0, hours: [] };
  const byStart = new Map(used.map((w) => [w.start, w.used]));
  const first = used[0]!.start;
  const last = used[used.length - 1]!.start;
  const fiveMinute: { start: number; used: number; allowed: number }[] = [];
  const hours = new Map<number, number>();
  for (let start = first; start < last; start += 300) {
    const hour = Math.floor(start / 3600);
    const hourUsed = hours.get(hour) ?? 0;
    const u = byStart.get(start) ?? 0;
    fiveMinute.push({ start, used: u, allowed: Math.min(LIMITS[0], LIMITS[1] - hourUsed) });
    hours.set(hour, hourUsed + u);
  }
  const judged = fiveMinute.filter((w) => w.allowed > 0);
  const uses = judged.map((w) => w.used / w.allowed);
  return { fiveMinute, minUse: round(Math.min(...uses)), under90: uses.filter((u) => u < 0.9).length, hours: [...hours.values()] };
}

