import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { applyRemoteOrders, type ApplySummary } from '../pos/order-apply';
import { getConnection, type ConnectionInfo } from '../pos/connections';
import { markProductsChanged } from '../pos/change-feed';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { readRemoteOrders, wooGmt } from './order-mapping';

export interface ImportPageInput {
  connectionId: string;
  importRunId: number;
  page: number;
  dryRun: boolean;
}

export interface ImportPageResult extends Omit<ApplySummary, 'productIds'> {
  page: number;
  totalPages: number;
  totalOrders: number;
  lastOrderId: number | null;
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
     * date (M-B2), oldest first, applied in one transaction that is idempotent per order id.
     * A dry run does the same work and rolls it back.
     */
    async importOrderPage(input: ImportPageInput): Promise<ImportPageResult> {
      return withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const list = await client.listOrders({
          before: wooGmt(connection.startDate), dates_are_gmt: true, orderby: 'id', order: 'asc', per_page: 100, page: input.page,
        });
        heartbeat({ page: input.page });
        const orders = await readRemoteOrders(db, client, list.items);
        let summary: ApplySummary;
        try {
          summary = await db.transaction(async (trx) => {
            const s = await applyRemoteOrders(trx, connection, orders, { mode: 'import', importRunId: input.importRunId });
            if (s.productIds.length > 0) {
              await trx('import_run_products')
                .insert(s.productIds.map((product_id) => ({ import_run_id: input.importRunId, product_id })))
                .onConflict().ignore();
            }
            if (input.dryRun) throw new DryRunRollback(s);
            return s;
          });
        } catch (err) {
          if (!(err instanceof DryRunRollback)) throw err;
          summary = err.summary;
        }
        const { productIds: _ignored, ...rest } = summary;
        return {
          ...rest, failures: rest.failures.slice(0, 20), page: input.page, totalPages: list.totalPages, totalOrders: list.total,
          lastOrderId: orders.length > 0 ? orders[orders.length - 1]!.id : null,
        };
      });
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
