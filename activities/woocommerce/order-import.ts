import type { Knex } from 'knex';
import type { RemoteOrder } from '../../domain/remote-order';
import { ApplicationFailure } from '@temporalio/common';
import { advance, cursorKey, cursorParams, gmtSeconds, hasPassed } from '../../domain/import-cursor';
import type { HistoryEnd, ImportCounters, ImportCursor } from '../../workflows/contracts/order-import';
import { applyRemoteOrders, type ApplySummary } from '../pos/order-apply';
import { getConnection, type ConnectionInfo } from '../pos/connections';
import { markProductsChanged } from '../pos/change-feed';
import { whileHeartbeating } from '../heartbeating';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import type { WooClient } from './client';
import { WooApiError } from './errors';
import { toRemoteOrder, wooGmt } from './order-mapping';

const PER_PAGE = 100;

export interface ImportPageInput {
  connectionId: string;
  importRunId: number;
  dryRun: boolean;
  /** Where the previous page ended; null or absent for the first page. */
  cursor?: ImportCursor | null;
  /** The newest history order as the first page saw it; the import ends only past it. */
  end?: HistoryEnd | null;
  /** Histories of the page-numbered import passed this; it is ignored now. */
  page?: number;
}

export interface ImportPageResult extends Omit<ApplySummary, 'productIds'> {
  page: number;
  totalPages: number;
  totalOrders: number;
  lastOrderId: number | null;
  /** The checkpoint after this page. */
  cursor?: ImportCursor | null;
  end?: HistoryEnd | null;
  /** History orders the store lists after the new cursor. */
  remaining?: number;
  /** The cursor has passed the last history order: the import has read everything. */
  done?: boolean;
  /** The store listed nothing more although it holds history orders past the cursor: ask again later. */
  contradiction?: string;
  /** The run's figures as the database holds them after this page (not for dry runs, which write nothing). */
  run?: ImportCounters;
}

/** Rolls a dry run's transaction back while carrying its summary out. */
class DryRunRollback extends Error {
  constructor(readonly summary: ApplySummary) {
    super('dry run');
  }
}

export async function requireConnection(deps: PushDeps, id: string): Promise<ConnectionInfo> {
  const c = await getConnection(deps.db, id);
  if (!c) throw ApplicationFailure.nonRetryable(`connection ${id} does not exist`, 'UnknownConnection');
  return c;
}

/** The newest order created before the connection's start date, or null when the store lists none. */
async function newestHistoryOrder(client: WooClient, before: string): Promise<HistoryEnd | null> {
  const list = await client.listOrders({ before, dates_are_gmt: true, orderby: 'date', order: 'desc', per_page: 1, _fields: 'id,date_created_gmt' });
  const o = list.items[0];
  return o ? { id: o.id, dateGmt: gmtSeconds(o.date_created_gmt ?? '') } : null;
}

/** The order if the store still has it as a history order, else null (deleted or trashed). */
async function stillThere(client: WooClient, end: HistoryEnd, before: string): Promise<boolean> {
  try {
    const o = await client.getOrder(end.id);
    return o.status !== 'trash' && gmtSeconds(o.date_created_gmt ?? '') < before;
  } catch (err) {
    if (err instanceof WooApiError && (err.status === 404 || err.status === 410)) return false;
    throw err;
  }
}

/**
 * Nothing more is listed after the cursor: either the history is read, or the store's answer
 * contradicts what it said before (an empty page from a store that lost or has not yet loaded its
 * orders, issue 7.6). Returns the reason of a contradiction, or undefined when the end is real.
 */
async function checkEnd(client: WooClient, cursor: ImportCursor | null, end: HistoryEnd | null, before: string, ordersSoFar: number): Promise<string | undefined> {
  if (!end || hasPassed(cursor, end)) return undefined;
  if (await stillThere(client, end, before)) {
    return `the store listed no orders after ${cursor?.dateGmt ?? 'the start'}, yet history order ${end.id} (created ${end.dateGmt}) is still there`;
  }
  // The last history order went away: the end is real if the store still lists history up to the cursor.
  const newest = await newestHistoryOrder(client, before);
  if (newest && hasPassed(cursor, newest)) return undefined;
  if (!newest) {
    return `the store lists no history orders at all, though ${ordersSoFar} were imported and order ${end.id} (created ${end.dateGmt}) was the last`;
  }
  return `the store listed no orders after ${cursor?.dateGmt ?? 'the start'}, yet its newest history order is ${newest.id} (created ${newest.dateGmt})`;
}

/** Records what this page committed and returns the run's sums, in the page's transaction (issue 7.4). */
async function recordPage(trx: Knex.Transaction, importRunId: number, key: string, s: ApplySummary, lastOrderId: number | null): Promise<ImportCounters> {
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

export function createOrderImportActivities(deps: PushDeps) {
  const { db } = deps;
  return {
    /**
     * One page (up to 100) of history orders: those created before the connection's start
     * date (M-B2), oldest first, read after the cursor (issue 7.6), applied in one transaction
     * that is idempotent per order id and records the page's figures (issue 7.4).
     * A dry run does the same work and rolls it back.
     */
    async importOrderPage(input: ImportPageInput): Promise<ImportPageResult> {
      return withWooErrors(() => whileHeartbeating(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const before = wooGmt(connection.startDate);
        const cursor = input.cursor ?? null;
        const params = cursorParams(cursor);
        const list = await client.listOrders({
          before, dates_are_gmt: true, orderby: 'date', order: 'asc', per_page: PER_PAGE,
          ...params,
        });
        const orders = list.items.map(toRemoteOrder);
        const next = advance(cursor, orders);
        // With an offset, X-WP-Total still counts the orders it skipped.
        const remaining = Math.max(0, list.total - (params.offset ?? 0) - orders.length);
        const end = input.end ?? (remaining === 0 ? (orders.length ? { id: orders[orders.length - 1]!.id, dateGmt: next!.dateGmt } : null) : await newestHistoryOrder(client, before));
        const lastOrderId = orders.length > 0 ? orders[orders.length - 1]!.id : null;
        let summary: ApplySummary;
        let run: ImportCounters | undefined;
        try {
          summary = await db.transaction(async (trx) => {
            const s = await applyRemoteOrders(trx, connection, orders, { mode: 'import', importRunId: input.importRunId });
            if (s.productIds.length > 0) {
              await trx('import_run_products')
                .insert(s.productIds.map((product_id) => ({ import_run_id: input.importRunId, product_id })))
                .onConflict().ignore();
            }
            if (input.dryRun) throw new DryRunRollback(s);
            if (orders.length > 0) run = await recordPage(trx, input.importRunId, cursorKey(cursor), s, lastOrderId);
            else run = await runCounters(trx, input.importRunId);
            return s;
          });
        } catch (err) {
          if (!(err instanceof DryRunRollback)) throw err;
          summary = err.summary;
        }
        let done = false;
        let contradiction: string | undefined;
        if (orders.length === 0 && remaining > 0) {
          contradiction = `the store answered an empty page but counts ${list.total} history orders after ${cursor?.dateGmt ?? 'the start'}`;
        } else if (remaining === 0 || orders.length === 0) {
          contradiction = await checkEnd(client, next, end, before, run?.ordersDone ?? 0);
          done = contradiction === undefined;
        }
        const { productIds: _ignored, ...rest } = summary;
        return {
          ...rest, failures: rest.failures.slice(0, 20), page: 0, totalPages: Math.ceil(remaining / PER_PAGE), totalOrders: remaining + orders.length,
          lastOrderId, cursor: next, end, remaining, done, contradiction, run,
        };
      }, () => ({ cursor: input.cursor ?? null })));
    },

    /** Re-applies chosen orders as the shop has them now (M-B8 beyond): never deducts twice. */
    async reimportOrders(input: { connectionId: string; orderIds: number[] }): Promise<ImportPageResult> {
      return withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const orders: RemoteOrder[] = [];
        for (const id of input.orderIds) orders.push(toRemoteOrder(await client.getOrder(id)));
        const summary = await db.transaction(async (trx) => {
          const s = await applyRemoteOrders(trx, connection, orders, { mode: 'reimport' });
          await markProductsChanged(trx, s.productIds, 'order_import');
          return s;
        });
        const { productIds: _ignored, ...rest } = summary;
        return { ...rest, page: 0, totalPages: 0, totalOrders: orders.length, lastOrderId: null };
      });
    },
  };
}
