import { heartbeat } from '@temporalio/activity';
import { withHeartbeats } from '../heartbeat';
import type { RemoteOrder } from '../../domain/remote-order';
import { applyRemoteOrders, type ApplySummary } from '../pos/order-apply';
import type { ConnectionInfo } from '../pos/connections';
import type { Db } from '../../db/connection';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { requireConnection } from './order-import';
import { toRemoteOrder, wooGmt } from './order-mapping';

/** Orders created before the connection are history (M-B2): live sync leaves them to the import, unless already imported. */
async function liveOnly(db: Db, connection: ConnectionInfo, orders: RemoteOrder[]): Promise<RemoteOrder[]> {
  const start = connection.startDate.getTime();
  const old = orders.filter((o) => Date.parse(`${o.dateCreatedGmt}Z`) < start).map((o) => o.id);
  if (old.length === 0) return orders;
  const known = new Set(
    (await db('remote_orders').where({ connection_id: connection.id }).whereIn('remote_order_id', old).select('remote_order_id')).map((r) => Number(r.remote_order_id)),
  );
  return orders.filter((o) => !old.includes(o.id) || known.has(o.id));
}

const POLL_OVERLAP_MS = 60_000;

export function createOrderSyncActivities(deps: PushDeps) {
  const { db } = deps;
  const apply = async (connection: ConnectionInfo, orders: RemoteOrder[]): Promise<Omit<ApplySummary, 'productIds'>> => {
    const live = await liveOnly(db, connection, orders);
    const { productIds: _ignored, ...rest } = await db.transaction((trx) => applyRemoteOrders(trx, connection, live, { mode: 'sync' }));
    return rest;
  };
  return {
    /** New and updated orders (M-B1), read fresh from the shop so late or reordered deliveries converge. */
    async syncOrders(input: { connectionId: string; orderIds: number[] }): Promise<Omit<ApplySummary, 'productIds'>> {
      return withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const orders: RemoteOrder[] = [];
        for (const id of input.orderIds) orders.push(toRemoteOrder(await client.getOrder(id)));
        return apply(connection, orders);
      });
    },

    /** Everything modified since the last poll (with an overlap), so no order is lost when webhooks fail. */
    async pollOrders(input: { connectionId: string }): Promise<{ orders: number; modifiedAfter: string; imported: number; failed: number }> {
      return withHeartbeats(() => withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const state = await db('order_sync_state').where({ connection_id: connection.id }).first();
        const watermark: Date = state?.modified_after ?? connection.startDate;
        const since = new Date(watermark.getTime() - POLL_OVERLAP_MS);
        let newest = watermark.getTime();
        let total = 0, imported = 0, failed = 0;
        for (let page = 1; ; page++) {
          const list = await client.listOrders({ modified_after: wooGmt(since), dates_are_gmt: true, orderby: 'modified', order: 'asc', per_page: 100, page });
          const orders = list.items.map(toRemoteOrder);
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
          .onConflict('connection_id').merge();
        return { orders: total, modifiedAfter: wooGmt(since), imported, failed };
      }));
    },
  };
}
