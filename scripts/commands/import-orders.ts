import type { AxiosInstance } from 'axios';
import type { OrderOutcome, OrderOutcomeRow } from '../../activities/pos/order-outcomes';

interface OrderOutcomesAnswer {
  orders: (Omit<OrderOutcomeRow, 'date_created_gmt' | 'updated_at'> & { date_created_gmt: string | null; updated_at: string })[];
  counts: Record<OrderOutcome, number>;
}

/**
 * `possync import orders`: what the POS recorded for each shop order, with the reason, read
 * through the POS API (issue 8 point 10); the failed and skipped ones are what to re-import.
 */
export async function orderOutcomes(
  api: AxiosInstance, connectionId: string, q: { outcome?: OrderOutcome; limit?: string; after?: string },
): Promise<{ text: string; data: OrderOutcomesAnswer }> {
  const res = await api.get(`/api/connections/${encodeURIComponent(connectionId)}/orders`, {
    params: { outcome: q.outcome, limit: q.limit, after_id: q.after },
  });
  if (res.status !== 200) throw new Error(res.data?.message ?? `the POS API answered ${res.status}`);
  const data = res.data as OrderOutcomesAnswer;
  const { counts } = data;
  const lines = [
    `${connectionId}: ${counts.imported} imported, ${counts.skipped} skipped, ${counts.failed} failed${q.outcome ? `; ${q.outcome}:` : ''}`,
    ...data.orders.map((o) => `  order ${o.order_id}  ${o.outcome.padEnd(8)} ${o.status.padEnd(10)} ${o.source.padEnd(8)} ${o.reason || '-'}`),
  ];
  if (data.orders.length === 0) lines.push('  (no orders)');
  const last = data.orders[data.orders.length - 1];
  if (last && data.orders.length === Number(q.limit ?? 100)) lines.push(`  more: --after ${last.order_id}`);
  const chosen = data.orders.filter((o) => o.outcome !== 'imported').slice(0, 20).map((o) => o.order_id);
  if (chosen.length > 0) lines.push(`re-import with: possync import reimport ${connectionId} ${chosen.join(' ')}`);
  return { text: lines.join('\n'), data };
}
