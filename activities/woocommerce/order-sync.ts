import { heartbeat } from '@temporalio/activity';
import { withHeartbeats } from '../heartbeat';
import type { RemoteOrder } from '../../domain/remote-order';
import { applyRemoteOrders, type ApplySummary } from '../pos/order-apply';
import type { ConnectionInfo } from '../pos/connections';
import type { Db } from '../../db/connection';
import type { PushDeps } from './product-push';
import { withWooErrors } from './product-push';
import { requireConnection } from './order-import';
import { lockRemoteOrders } from '../pos/order-locks';
import { readRemoteOrders, wooGmt } from './order-mapping';
import type { Knex } from 'knex';
import type { WooClient } from './client';
import type { OrderPollResult } from '../../workflows/contracts/order-sync';

/** Orders created before the connection are history (M-B2): live sync leaves them to the import, unless already imported. */
async function liveOnly(db: Db | Knex.Transaction, connection: ConnectionInfo, orders: RemoteOrder[]): Promise<RemoteOrder[]> {
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
  /**
   * One order, read from the shop outside any transaction (a slow shop must not hold database
   * connections the tills need), then applied under its lock (issue 7.1). When another apply of it
   * committed after this read began, that one may have read a newer state: read again (a few times;
   * after that the older-read guard in applyRemoteOrders and the next poll still converge).
   */
  const syncOne = async (connection: ConnectionInfo, client: WooClient, id: number): Promise<ApplySummary> => {
    for (let attempt = 1; ; attempt++) {
      const readFrom: Date = (await db.raw('SELECT clock_timestamp() AS t')).rows[0].t;
      const orders = await readRemoteOrders(db, client, [await client.getOrder(id)]);
      const applied = await db.transaction(async (trx) => {
        await lockRemoteOrders(trx, connection.id, [id]);
        const newer = await trx('remote_orders').where({ connection_id: connection.id, remote_order_id: id }).where('updated_at', '>', readFrom).first('remote_order_id');
        if (newer && attempt < 5) return undefined;
        return applyRemoteOrders(trx, connection, await liveOnly(trx, connection, orders), { mode: 'sync' });
      });
      if (applied) return applied;
    }
  };
  return {
    /** New and updated orders (M-B1), read fresh from the shop so late or reordered deliveries converge. */
    async syncOrders(input: { connectionId: string; orderIds: number[] }): Promise<Omit<ApplySummary, 'productIds'>> {
      return withWooErrors(async () => {
        const connection = await requireConnection(deps, input.connectionId);
        const client = deps.woo.get(input.connectionId);
        const total: Omit<ApplySummary, 'productIds'> = { orders: 0, imported: 0, skipped: 0, failed: 0, linked: 0, created: 0, deducted: 0, failures: [] };
        for (const id of input.orderIds) {
          const { productIds: _ignored, ...s } = await syncOne(connection, client, id);
          for (const k of ['orders', 'imported', 'skipped', 'failed', 'linked', 'created', 'deducted'] as const) total[k] += s[k];
          total.failures.push(...s.failures);
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
