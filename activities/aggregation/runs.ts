import type { Knex } from 'knex';
import type { Db } from '../../db/connection';

/** The database, or a transaction the caller rolls back (the bench measures without queuing for real). */
type Runner = Db | Knex.Transaction;
import { aggregationSettings, type AggregationCounts, type AggregationPlan } from '../../workflows/contracts/stock-aggregation';
import { compareLinkedStock } from './compare';
import { queueAggregatedDifferences, type AggregatedConnection } from './queue';

/** Link rows (linked items) compared per transaction of a full pass. */
export const FULL_PASS_RANGE = 5000;

/**
 * The connection and its aggregation state row, locked: runs of one connection (scheduled,
 * on demand, a full pass's ranges) take turns, so none queues what another just queued and the
 * watermark only moves forward.
 */
async function lockState(trx: Knex.Transaction, connectionId: string): Promise<{ c: AggregatedConnection; state: any } | undefined> {
  const c = await trx('connections').where({ id: connectionId }).first('id', 'kind', 'active');
  if (!c) return undefined;
  await trx.raw('INSERT INTO stock_aggregation_state (connection_id) VALUES (?) ON CONFLICT DO NOTHING', [connectionId]);
  const state = await trx('stock_aggregation_state').where({ connection_id: connectionId }).forUpdate().first();
  return { c, state };
}

export async function planAggregation(db: Db, connectionId: string, mode: 'incremental' | 'full' | 'auto'): Promise<AggregationPlan> {
  const row = await db('connections as c')
    .leftJoin('stock_aggregation_state as s', 's.connection_id', 'c.id')
    .where('c.id', connectionId)
    .first('c.kind', 'c.active', 'c.settings', 's.last_full_at', 's.full_cursor', db.raw('now() AS now'));
  const plannedAt = new Date(row?.now ?? Date.now()).toISOString();
  if (!row || !row.active || (row.kind !== 'woocommerce' && row.kind !== 'ecom')) return { mode: 'incremental', active: false, driftCheck: false, plannedAt };
  const settings = aggregationSettings(row.settings ?? {});
  const due = !row.last_full_at || row.full_cursor !== null
    || new Date(row.now).getTime() - new Date(row.last_full_at).getTime() >= settings.fullPassHours * 3_600_000;
  const chosen = mode === 'auto' ? (due ? 'full' : 'incremental') : mode;
  return { mode: chosen, active: true, driftCheck: settings.driftCheck && row.kind === 'woocommerce', plannedAt };
}

export interface IncrementalResult extends AggregationCounts {
  after: string;
  upTo: string;
}

/**
 * Compares the items of the products whose stock moved since the run before the last one (see
 * migration 021: the overlap catches movements committed after a run read past their id) and
 * queues the differing products. One transaction.
 */
export async function runIncrementalAggregation(db: Runner, connectionId: string): Promise<IncrementalResult> {
  return db.transaction(async (trx) => {
    const locked = await lockState(trx, connectionId);
    if (!locked) return { compared: 0, differed: 0, queued: 0, after: '0', upTo: '0' };
    const { c, state } = locked;
    const top = String((await trx.raw('SELECT coalesce(max(id), 0) AS id FROM stock_movements')).rows[0].id);
    const after = String(state.previous_watermark);
    const upTo = BigInt(top) > BigInt(state.watermark) ? top : String(state.watermark);
    const cmp = await compareLinkedStock(trx, connectionId, { kind: 'moved', afterMovementId: after, upToMovementId: upTo });
    const queued = await queueAggregatedDifferences(trx, c, cmp.products);
    // The window moves on only when movements were added: until then the last one is read again.
    const moved = BigInt(upTo) > BigInt(state.watermark);
    await trx('stock_aggregation_state').where({ connection_id: connectionId }).update({
      ...(moved ? { previous_watermark: state.watermark, watermark: upTo } : {}),
      last_run_at: trx.fn.now(), last_run_compared: cmp.compared, last_run_differed: cmp.differed, last_run_queued: queued,
    });
    return { compared: cmp.compared, differed: cmp.differed, queued, after, upTo };
  });
}

export interface FullPassProgress extends AggregationCounts {
  /** Ranges compared by this call. */
  ranges: number;
  done: boolean;
}

/**
 * One range of a full pass, in its own transaction: the linked products of the next FULL_PASS_RANGE link rows
 * after the cursor. The cursor and the pass's counts are kept in the state row, so a retried
 * activity (a killed worker) goes on from the last committed range. A pass finished after
 * `plannedAt` (another run's, or this one's before its answer was lost) serves this request.
 */
export async function fullPassStep(db: Runner, connectionId: string, plannedAt: string, rangeSize = FULL_PASS_RANGE): Promise<FullPassProgress> {
  return db.transaction(async (trx) => {
    const locked = await lockState(trx, connectionId);
    if (!locked) return { compared: 0, differed: 0, queued: 0, ranges: 0, done: true };
    const { c, state } = locked;
    const totals = (s: any) => ({ compared: s.full_compared, differed: s.full_differed, queued: s.full_queued });
    if (state.full_cursor === null && state.last_full_at && new Date(state.last_full_at).getTime() >= new Date(plannedAt).getTime()) {
      return { compared: state.last_full_compared, differed: state.last_full_differed, queued: state.last_full_queued, ranges: 0, done: true };
    }
    const cursor: number = state.full_cursor ?? 0;
    const start = state.full_cursor === null ? { full_started_at: trx.fn.now(), full_compared: 0, full_differed: 0, full_queued: 0 } : {};
    const bound = await trx('product_links').where({ connection_id: connectionId }).andWhere('product_id', '>', cursor)
      .orderBy('product_id').offset(rangeSize - 1).first('product_id');
    const upTo: number = bound ? bound.product_id : 2_147_483_647;
    const cmp = await compareLinkedStock(trx, connectionId, { kind: 'range', afterProductId: cursor, upToProductId: upTo });
    const queued = await queueAggregatedDifferences(trx, c, cmp.products);
    const counts = {
      full_compared: (state.full_cursor === null ? 0 : state.full_compared) + cmp.compared,
      full_differed: (state.full_cursor === null ? 0 : state.full_differed) + cmp.differed,
      full_queued: (state.full_cursor === null ? 0 : state.full_queued) + queued,
    };
    const done = !bound;
    await trx('stock_aggregation_state').where({ connection_id: connectionId }).update({
      ...start, ...counts,
      full_cursor: done ? null : upTo,
      ...(done ? { last_full_at: trx.fn.now(), last_full_compared: counts.full_compared, last_full_differed: counts.full_differed, last_full_queued: counts.full_queued } : {}),
    });
    return { ...totals({ full_compared: counts.full_compared, full_differed: counts.full_differed, full_queued: counts.full_queued }), ranges: 1, done };
  });
}

/** A whole full pass (or the rest of one): ranges until the end, `onRange` after each (heartbeats). */
export async function runFullPass(
  db: Runner, connectionId: string, plannedAt: string, opts: { rangeSize?: number; onRange?: (p: FullPassProgress) => void } = {},
): Promise<FullPassProgress> {
  let ranges = 0;
  for (;;) {
    const p = await fullPassStep(db, connectionId, plannedAt, opts.rangeSize);
    ranges += p.ranges;
    opts.onRange?.(p);
    if (p.done) return { ...p, ranges };
  }
}

export async function recordAggregationDrift(db: Db, connectionId: string, reportId: string, counts: Record<string, number>): Promise<void> {
  await db('stock_aggregation_state').where({ connection_id: connectionId }).update({ last_drift_report_id: reportId, last_drift_counts: JSON.stringify(counts) });
}
