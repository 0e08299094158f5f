import type { Knex } from 'knex';
import type { ApplySummary } from './order-apply';
import type { ImportCounters } from '../../workflows/contracts/order-import';

/** An import run's figures as the database holds them: one row per page, written in the page's transaction (issue 7.4). */

/** Records what this page committed and returns the run's sums, in the page's transaction (issue 7.4). */
export async function recordPage(trx: Knex.Transaction, importRunId: number, key: string, s: ApplySummary, lastOrderId: number | null): Promise<ImportCounters> {
  await trx('import_run_pages')
    .insert({
      import_run_id: importRunId, cursor_key: key, last_order_id: lastOrderId, orders: s.orders, imported: s.imported, skipped: s.skipped,
      failed: s.failed, linked: s.linked, created: s.created, deducted: s.deducted,
    })
    .onConflict(['import_run_id', 'cursor_key'])
    .merge({
      last_order_id: lastOrderId, orders: s.orders, imported: s.imported, skipped: s.skipped, failed: s.failed,
      linked: trx.raw('import_run_pages.linked + excluded.linked'), created: trx.raw('import_run_pages.created + excluded.created'),
      deducted: trx.raw('import_run_pages.deducted + excluded.deducted'), attempts: trx.raw('import_run_pages.attempts + 1'),
      committed_at: trx.fn.now(),
    });
  return runCounters(trx, importRunId);
}

export async function runCounters(db: Knex | Knex.Transaction, importRunId: number): Promise<ImportCounters> {
  const [r] = await db('import_run_pages').where({ import_run_id: importRunId }).select(
    db.raw('count(*)::int AS "pagesDone"'), db.raw('coalesce(sum(orders), 0)::int AS "ordersDone"'),
    db.raw('coalesce(sum(imported), 0)::int AS imported'), db.raw('coalesce(sum(skipped), 0)::int AS skipped'),
    db.raw('coalesce(sum(failed), 0)::int AS failed'), db.raw('coalesce(sum(linked), 0)::int AS linked'),
    db.raw('coalesce(sum(created), 0)::int AS created'), db.raw('coalesce(sum(deducted), 0)::bigint AS deducted'),
  );
  return { ...r, deducted: Number(r.deducted) };
}
