// What `possync budget <connection>` shows: the shared budget row of the connection's shop key
// (migration 025), its writer's backlog (ecom_write_queue) and how long that backlog takes at the
// windows' pace.
import type { Db } from '../../db/connection';
import { WINDOW_SECONDS, budgetLimits, viewBudget } from './budget-state';
import { loadSharedState } from './shared-budget';
import { ecomBacklog } from './write-queue';

const WINDOW_NAMES = ['5 minutes', 'hour', 'day'];

export interface EcomBudgetReport {
  connectionId: string;
  /** Host and key hash; null before the connection's first request through the shared budget. */
  budgetKey: string | null;
  /** Real seconds per API second (1 for a real shop). */
  timeScale: number;
  /** As the latest answer said; `reset` = the window started again since (full, if it is a fixed window). */
  windows: { window: string; limit: number; remaining: number; used: number; resetInSeconds: number; reset: boolean }[];
  inFlight: number;
  sent: number;
  rateLimited: number;
  /** Seconds left of a 429's Retry-After (0 when not blocked). */
  blockedForSeconds: number;
  backlog: {
    stockProducts: number;
    catalogProducts: number;
    /** At most this many requests: a stock row writes each of its shop variants, a catalog row the product too. */
    requests: number;
  };
  /** Expected seconds to send the backlog's requests at the current windows' pace. */
  drainSeconds: number;
}

/** Shop variants behind the queued rows (a product without POS variants has its one default variant). */
async function backlogRequests(db: Db, connectionId: string): Promise<number> {
  const row = (await db.raw(
    `SELECT coalesce(sum(CASE WHEN q.stock_only THEN 0 ELSE 1 END + greatest(1, (SELECT count(*) FROM variants v WHERE v.product_id = q.product_id))), 0)::int AS requests
       FROM ecom_write_queue q WHERE q.connection_id = ?`,
    [connectionId],
  )).rows[0];
  return row.requests;
}

export async function readEcomBudget(db: Db, connectionId: string, nowMs = Date.now()): Promise<EcomBudgetReport> {
  const row = await db('ecom_budget_connections as c').join('ecom_budgets as b', 'b.budget_key', 'c.budget_key')
    .where('c.connection_id', connectionId).first('b.budget_key', 'b.state', 'b.limits');
  const limits = budgetLimits(row?.limits ?? {});
  const state = loadSharedState(row?.state, nowMs);
  const backlog = await ecomBacklog(db, connectionId);
  const requests = await backlogRequests(db, connectionId);
  const view = viewBudget(state, limits, nowMs, requests);
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  return {
    connectionId,
    budgetKey: row?.budget_key ?? null,
    timeScale: limits.timeScale,
    windows: (state.windows ?? []).map((w, i) => ({
      window: WINDOW_NAMES[i] ?? `${WINDOW_SECONDS[i] ?? '?'} s`,
      limit: w.limit,
      remaining: w.remaining,
      used: w.limit - w.remaining,
      resetInSeconds: seconds(Math.max(0, w.resetAtMs - nowMs)),
      reset: nowMs >= w.resetAtMs,
    })),
    inFlight: view.inFlight,
    sent: view.sent,
    rateLimited: view.rateLimited,
    blockedForSeconds: seconds(Math.max(0, state.blockedUntilMs - nowMs)),
    backlog: { stockProducts: backlog.stock, catalogProducts: backlog.catalog, requests },
    drainSeconds: seconds(view.drainEstimateMs),
  };
}
