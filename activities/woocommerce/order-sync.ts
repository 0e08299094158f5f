import { heartbeat } from '@temporalio/activity';
import { withHeartbeats } from '../heartbeat';
import type { RemoteOrder } from '../../domain/remote-order';
import type { ApplySummary } from '../pos/order-apply';
import type { ConnectionInfo } from '../pos/connections';
import { addApplyTotals, applyLiveOrders, emptyApplyTotals, readAndApplyOrder } from '../pos/order-live-sync';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { requireConnection } from './order-import';
import { readRemoteOrders, wooGmt } from './order-mapping';
import type { WooClient } from './client';
import type { OrderPollResult } from '../../workflows/contracts/order-sync';

const POLL_OVERLAP_MS = 60_000;

export function createOrderSyncActivities(deps: PushDeps) {
  const { db } = deps;
  const apply = (connection: ConnectionInfo, orders: RemoteOrder[]) => applyLiveOrders(db, connection, orders);
  const syncOne = (connection: ConnectionInfo, client: WooClient, id: number): Promise<ApplySummary> =>
    readAndApplyOrder(db, connection, id, async () => readRemoteOrders(db, client, [await client.getOrder(id)]));
  return {
    /** New and updated orders (M-B1), read fresh from the shop so late or reordered deliveries converge. */
    async syncOrders(input: { connectionId: string; orderIds: number[] }): Promise<Omit<ApplySummary, 'productIds'>> {
      return withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const total = emptyApplyTotals();
        for (const id of input.orderIds) {
          const { productIds: _ignored, ...s } = await syncOne(connection, client, id);
          addApplyTotals(total, s);
        }
        return total;
      });
    },

    /**
     * Everything modified since the last poll (with an overlap), so no order is lost when webhooks fail.
     * The long-lived poll passes the cursor it carries; without one, the last poll's watermark is read.
     */
    async pollOrders(input: { connectionId: string; modifiedAfter?: string }): Promise<OrderPollResult & { watermark: string }> {
      return withHeartbeats(() => withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const state = input.modifiedAfter ? undefined : await db('order_sync_state').where({ connection_id: connection.id }).first();
        const watermark: Date = input.modifiedAfter ? new Date(input.modifiedAfter) : state?.modified_after ?? connection.startDate;
        const since = new Date(watermark.getTime() - POLL_OVERLAP_MS);
        let newest = watermark.getTime();
        let total = 0, imported = 0, failed = 0;
        for (let page = 1; ; page++) {
          const list = await client.listOrders({ modified_after: wooGmt(since), dates_are_gmt: true, orderby: 'modified', order: 'asc', per_page: 100, page });
          const orders = await readRemoteOrders(db, client, list.items);
          const s = await apply(connection, orders);
          total += orders.length;
          imported += s.imported;
          failed += s.failed;
          for (const o of orders) newest = Math.max(newest, Date.parse(`${o.dateModifiedGmt}Z`) || 0);
          heartbeat({ page });
          if (page >= list.totalPages || orders.length === 0) break;
        }
        await db('order_sync_state')
          .insert({ connection_id: connection.id, modified_after: new Date(newest), polled_at: db.fn.now() })
          .onConflict('connection_id')
          .merge({ modified_after: db.raw('greatest(order_sync_state.modified_after, excluded.modified_after)'), polled_at: db.fn.now() });
        return { orders: total, modifiedAfter: wooGmt(since), imported, failed, watermark: new Date(newest).toISOString() };
      }));
    },
  };
}
