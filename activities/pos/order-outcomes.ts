import type { Db } from '../../db/connection';

export const ORDER_OUTCOMES = ['imported', 'skipped', 'failed'] as const;
export type OrderOutcome = (typeof ORDER_OUTCOMES)[number];

export interface OrderOutcomeRow {
  order_id: number;
  outcome: OrderOutcome;
  reason: string;
  status: string;
  source: string;
  import_run_id: number | null;
  date_created_gmt: Date | null;
  updated_at: Date;
}

/**
 * What the POS recorded for a connection's shop orders (issue 8 point 10): each order's last
 * outcome and its reason, oldest order first, so an operator can choose what to re-import.
 */
export async function listOrderOutcomes(
  db: Db,
  q: { connectionId: string; outcome?: OrderOutcome; limit: number; afterId?: number },
): Promise<{ orders: OrderOutcomeRow[]; counts: Record<OrderOutcome, number> }> {
  const rows = await db('remote_orders')
    .where({ connection_id: q.connectionId })
    .modify((b) => {
      if (q.outcome) b.where({ outcome: q.outcome });
      if (q.afterId !== undefined) b.where('remote_order_id', '>', q.afterId);
    })
    .orderBy('remote_order_id')
    .limit(q.limit)
    .select(
      db.raw('remote_order_id::bigint AS order_id'), 'outcome', 'reason', 'status', 'source', 'import_run_id', 'date_created_gmt', 'updated_at',
    );
  const byOutcome: { outcome: OrderOutcome; n: number }[] = await db('remote_orders')
    .where({ connection_id: q.connectionId }).groupBy('outcome').select('outcome', db.raw('count(*)::int AS n'));
  const counts = Object.fromEntries(ORDER_OUTCOMES.map((o) => [o, byOutcome.find((r) => r.outcome === o)?.n ?? 0])) as Record<OrderOutcome, number>;
  return {
    orders: rows.map((r: OrderOutcomeRow) => ({ ...r, order_id: Number(r.order_id), import_run_id: r.import_run_id === null ? null : Number(r.import_run_id) })),
    counts,
  };
}
