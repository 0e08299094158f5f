import type { RemoteOrder } from '../../domain/remote-order';
import { ApplicationFailure } from '@temporalio/common';
import { advance, cursorKey, cursorParams } from '../../domain/import-cursor';
import type { HistoryEnd, ImportCounters, ImportCursor } from '../../workflows/contracts/order-import';
import { recordPage, runCounters } from '../pos/import-run-pages';
import { checkEnd, newestHistoryOrder } from './history-end';
import { applyRemoteOrders, type ApplySummary } from '../pos/order-apply';
import { getConnection, type ConnectionInfo } from '../pos/connections';
import { markProductsChanged } from '../pos/change-feed';
import { whileHeartbeating } from '../heartbeating';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { readRemoteOrders, wooGmt } from './order-mapping';

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
        const orders = await readRemoteOrders(db, client, list.items);
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
        const fetched = [];
        for (const id of input.orderIds) fetched.push(await client.getOrder(id));
        const orders = await readRemoteOrders(db, client, fetched);
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
