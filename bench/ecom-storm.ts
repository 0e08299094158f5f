import { defaultPayloadConverter } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { ecomBacklog } from '../activities/ecom/write-queue';
import { readEcomBudget } from '../activities/ecom/budget-report';
import { outletsOfConnection } from '../activities/pos/connection-outlets';
import { readLocalAdminToken } from '../server/auth/local-admin-token';
import type { Stack } from '../stack/start';
import { ecomWriterStatusQuery, ecomWriterWorkflowId, type EcomDrainResult } from '../workflows/contracts/ecom-writer';
import { benchEcomShop, syncEcomCatalog } from './ecom-catalog';
import { report, seedCatalog } from './harness';
import { runTills } from './tills';

export interface EcomStormSetting {
  sales: number;
  seconds: number;
  simple: number;
  variable: number;
  variations: number;
  /** The sandbox's (and the budget's) time scale: real seconds per API second. */
  timeScale: number;
}

/**
 * A writer's round as its history shows it: from the scheduling of its first drain call (just before
 * that call takes the queue position the round writes up to) to the completion of its last.
 */
interface Round {
  startedAt: number;
  endedAt: number;
  writes: number;
  requests: number;
  pushed: number;
  unchanged: number;
}

const CONVERGE_LIMIT_MS = 15 * 60_000;

/**
 * Issue 10 benchmark (c) on the real path: sales through the POS API, the outbox and the push
 * dispatcher queue stock-only rows, the writer workflow ecom-writer/<connection> writes them through
 * writeEcomProduct and the budget shared in PostgreSQL, against the sandbox's real limits with
 * time-scaled windows. A write is justified by a variant that changed since the writer's last round:
 * the figure is the shop's writes against the sum, over the writer's rounds, of the distinct variants
 * sold between the previous round's start and this one's.
 */
export async function ecomStorm(stack: Stack, s: EcomStormSetting): Promise<void> {
  const { sandbox, connectionId, outletId, registerId, close } = await benchEcomShop(stack, 'storm', s.timeScale);
  const { db } = stack;
  try {
    const { productIds } = await seedCatalog(db, { prefix: 'ECOM-STORM', simple: s.simple, variable: s.variable, variations: s.variations, outletId });
    const initial = await syncEcomCatalog(stack, connectionId);
    const items = await itemsOf(stack, productIds);
    const writer = stack.client.workflow.getHandle(ecomWriterWorkflowId(connectionId));
    const before = await writer.query(ecomWriterStatusQuery);
    sandbox.resetStats();

    const stormStart = Date.now();
    const commits: { sku: string; at: number }[] = [];
    const { failed, durationMs } = await runTills(
      { httpUrl: stack.httpUrl, token: readLocalAdminToken(stack.config.dataDir)!, registerId, skus: items.map((i) => i.sku), sales: s.sales, seconds: s.seconds },
      (c) => commits.push({ sku: c.sku, at: c.at }),
    );
    const lastSale = Math.max(...commits.map((c) => c.at));

    const outlets = await outletsOfConnection(db, connectionId);
    let mismatches = Infinity;
    let convergedAt: number | undefined;
    while (Date.now() - lastSale < CONVERGE_LIMIT_MS) {
      const backlog = await ecomBacklog(db, connectionId);
      if (backlog.stock + backlog.catalog === 0) {
        mismatches = await stockMismatches(stack, sandbox.state.variants, items, outlets);
        if (mismatches === 0) {
          convergedAt = Date.now();
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (convergedAt === undefined) mismatches = await stockMismatches(stack, sandbox.state.variants, items, outlets);

    const stats = sandbox.stats();
    const after = await writer.query(ecomWriterStatusQuery);
    const rounds = (await writerRounds(stack, ecomWriterWorkflowId(connectionId))).filter((r) => r.startedAt >= stormStart);
    const changed = changedPerWindow(commits, stormStart, rounds);
    const distinctSum = changed.reduce((a, b) => a + b, 0);
    const budget = await readEcomBudget(db, connectionId);
    report('ecom event storm', {
      sales: s.sales, failed_sales: failed, products: s.simple + s.variable, variants: items.length, timeScale: s.timeScale,
      seconds: durationMs / 1000, target_seconds: s.seconds, initial_push_seconds: initial.seconds, quiet_window_ms: stack.config.pushQuietWindowMs,
      writes: stats.writes, requests: stats.requests, by_route: stats.byRoute,
      windows: rounds.length, writer_rounds_from_status: after.rounds - before.rounds,
      rounds_s_after_storm_start: rounds.map((r) => [round((r.startedAt - stormStart) / 1000), round((r.endedAt - stormStart) / 1000)]),
      last_sale_s_after_storm_start: round((lastSale - stormStart) / 1000),
      distinct_variants_changed_per_window: changed, writes_per_window: rounds.map((r) => r.writes),
      // A sale reaches the queue after its commit (outbox, dispatcher), so a round may write what was sold just before the previous round began.
      windows_writing_more_than_this_and_previous_window_changed: rounds.filter((r, k) => r.writes > changed[k]! + (changed[k - 1] ?? 0)).length,
      distinct_variants_changed_sum: distinctSum, distinct_variants_changed_overall: new Set(commits.map((c) => c.sku)).size,
      writes_over_distinct_per_window: round(stats.writes / distinctSum),
      rate_limited: stats.rateLimited, budget_row_rate_limited: budget.rateLimited,
      final_stock_mismatches: mismatches, converged: convergedAt !== undefined,
      converge_after_last_sale_ms: convergedAt === undefined ? null : convergedAt - lastSale,
      target: 'writes ≤ Σ over windows of distinct variants changed (ratio ≤ 1); zero 429s; 0 stock mismatches',
    });
  } finally {
    await close();
  }
}

/** The items sold (a simple product, or a variant of a variable one) by SKU. */
async function itemsOf(stack: Stack, productIds: number[]): Promise<{ sku: string; productId: number; variantId: number | null }[]> {
  const simple: { id: number; sku: string }[] = await stack.db('products').whereIn('id', productIds).andWhere({ type: 'simple' }).select('id', 'sku');
  const variants: { id: number; product_id: number; sku: string }[] = await stack.db('variants').whereIn('product_id', productIds).select('id', 'product_id', 'sku');
  return [...simple.map((p) => ({ sku: p.sku, productId: p.id, variantId: null })), ...variants.map((v) => ({ sku: v.sku, productId: v.product_id, variantId: v.id }))];
}

/** Items whose shop stock level differs from the POS stock summed over the connection's outlets. */
async function stockMismatches(
  stack: Stack, shopVariants: Map<number, { sku: string; stockLevel: number }>, items: { productId: number; variantId: number | null; sku: string }[], outlets: number[],
): Promise<number> {
  const rows: { product_id: number; variant_id: number | null; quantity: string }[] = await stack.db('inventory').whereIn('outlet_id', outlets)
    .whereIn('product_id', [...new Set(items.map((i) => i.productId))]).groupBy('product_id', 'variant_id')
    .select('product_id', 'variant_id', stack.db.raw('sum(quantity) AS quantity'));
  const pos = new Map(rows.map((r) => [`${r.product_id}/${r.variant_id ?? ''}`, Number(r.quantity)]));
  const shop = new Map([...shopVariants.values()].map((v) => [v.sku, Number(v.stockLevel)]));
  return items.filter((i) => shop.get(i.sku) !== pos.get(`${i.productId}/${i.variantId ?? ''}`)).length;
}

/**
 * The writer's rounds from its histories (every run, continue-as-new included): a round is the
 * drainEcomQueue calls from one without a queue position (which takes the newest) to the next.
 */
async function writerRounds(stack: Stack, workflowId: string): Promise<Round[]> {
  const rounds: Round[] = [];
  const runs: { runId: string; start: number }[] = [];
  for await (const e of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push({ runId: e.runId, start: e.startTime.getTime() });
  for (const run of runs.sort((a, b) => a.start - b.start)) {
    const history = await stack.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
    const scheduled = new Map<string, { fresh: boolean; at: number }>();
    for (const e of history.events ?? []) {
      const sch = e.activityTaskScheduledEventAttributes;
      if (sch?.activityType?.name === 'drainEcomQueue') {
        const input = defaultPayloadConverter.fromPayload<{ upToSeq?: string }>(sch.input!.payloads![0]!);
        scheduled.set(String(e.eventId), { fresh: input.upToSeq === undefined, at: tsToMs(e.eventTime) });
      }
      const done = e.activityTaskCompletedEventAttributes;
      const call = done ? scheduled.get(String(done.scheduledEventId)) : undefined;
      if (done && call) addCall(rounds, call.fresh, call.at, tsToMs(e.eventTime), done);
    }
  }
  return rounds;
}

function addCall(rounds: Round[], fresh: boolean, scheduledAt: number, completedAt: number, done: temporal.api.history.v1.IActivityTaskCompletedEventAttributes): void {
  const r = defaultPayloadConverter.fromPayload<EcomDrainResult>(done.result!.payloads![0]!);
  if (fresh || rounds.length === 0) rounds.push({ startedAt: scheduledAt, endedAt: completedAt, writes: 0, requests: 0, pushed: 0, unchanged: 0 });
  const last = rounds[rounds.length - 1]!;
  last.endedAt = completedAt;
  last.writes += r.writes;
  last.requests += r.requests;
  last.pushed += r.pushed;
  last.unchanged += r.unchanged;
}

/**
 * Per round, the distinct SKUs sold between the previous round's start (the storm's start for the
 * first) and this round's start: what that round had to write. Sales after the last round's start
 * are counted in a window of their own (they should have none).
 */
function changedPerWindow(commits: { sku: string; at: number }[], from: number, rounds: Round[]): number[] {
  const bounds = [from, ...rounds.map((r) => r.startedAt), Infinity];
  const windows = rounds.map(() => new Set<string>());
  const after = new Set<string>();
  for (const c of commits) {
    const k = bounds.findIndex((b, i) => i > 0 && c.at <= b) - 1;
    (k >= 0 && k < rounds.length ? windows[k]! : after).add(c.sku);
  }
  return after.size > 0 ? [...windows.map((w) => w.size), after.size] : windows.map((w) => w.size);
}

const round = (x: number) => Math.round(x * 1000) / 1000;
