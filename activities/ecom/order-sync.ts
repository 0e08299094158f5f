// eCom orders into the POS (issue 10 point 7, M-C7): one order read fresh and applied (a webhook's
// hint), the poll by updated_at_min (the safety net), and the order webhook kept in the shop.
import { Context, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/connection';
import { toRemoteOrder } from '../../domain/ecom-order';
import type { RemoteOrder } from '../../domain/remote-order';
import type { OrderPollResult } from '../../workflows/contracts/order-sync';
import { withHeartbeats } from '../heartbeat';
import { getConnection, type ConnectionInfo } from '../pos/connections';
import type { ApplySummary } from '../pos/order-apply';
import { addApplyTotals, applyLiveOrders, emptyApplyTotals, readAndApplyOrder } from '../pos/order-live-sync';
import { ECOM_MAX_LIMIT, ecomDateTime, type EcomClient } from './client';
import { ecomClientFor } from './product-writer';
import { EcomApiError, toEcomActivityFailure } from './errors';
import { ecomOrderHookAddress, ecomOrderHookToken } from './order-hook-token';
import { ecomOrderChannel } from './order-lines';
import type { EcomRegistry } from './registry';
import type { EcomOrder } from './types';

/** The filter has second precision and an unconfirmed time zone (apis.md §2.8): ask again for the last minute. */
const POLL_OVERLAP_MS = 60_000;

export interface EcomOrderDeps {
  db: Db;
  ecom?: EcomRegistry;
}

async function withEcomErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof EcomApiError) throw toEcomActivityFailure(err);
    throw err;
  }
}

async function ecomConnection(db: Db, id: string): Promise<ConnectionInfo> {
  const c = await getConnection(db, id);
  if (!c || c.kind !== 'ecom') throw ApplicationFailure.nonRetryable(`eCom connection ${id} does not exist`, 'UnknownConnection');
  return c;
}

/** An order with its products, as the POS applies it (two requests, both on the 'orders' priority). */
async function readOrder(client: EcomClient, order: EcomOrder): Promise<RemoteOrder> {
  return toRemoteOrder(order, await client.orders.products(order.id));
}

export function createEcomOrderActivities(deps: EcomOrderDeps) {
  const { db } = deps;
  /** The connection's client for one activity (it holds its own sockets; the budget is the shop key's). */
  const withClient = async <T>(connectionId: string, fn: (client: EcomClient) => Promise<T>): Promise<T> => {
    if (!deps.ecom?.get(connectionId)) throw ApplicationFailure.nonRetryable(`eCom connection ${connectionId} is not configured in this worker`, 'UnknownEcomConnection');
    const client = ecomClientFor(deps.ecom, connectionId, Context.current().cancellationSignal, db);
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  };
  return {
    /** Orders named by webhooks, each read fresh from the shop (a delivery is a hint) and applied once. */
    async syncEcomOrders(input: { connectionId: string; orderIds: number[] }): Promise<Omit<ApplySummary, 'productIds'>> {
      return withHeartbeats(() => withEcomErrors(async () => {
        const connection = await ecomConnection(db, input.connectionId);
        return withClient(input.connectionId, async (client) => {
          const total = emptyApplyTotals();
          for (const id of input.orderIds) {
            const { productIds: _ignored, ...s } = await readAndApplyOrder(db, connection, id, async () => [await readOrder(client, await client.orders.get(id))], ecomOrderChannel);
            addApplyTotals(total, s);
          }
          return total;
        });
      }));
    },

    /**
     * Every order updated since the cursor (less an overlap), page by page in id order (since_id;
     * the API has no pagination headers), each page applied in one transaction. The cursor (the
     * newest updatedAt seen) is returned and kept in order_sync_state.
     */
    async pollEcomOrders(input: { connectionId: string; updatedAfter?: string }): Promise<OrderPollResult & { watermark: string }> {
      return withHeartbeats(() => withEcomErrors(async () => {
        const connection = await ecomConnection(db, input.connectionId);
        return withClient(input.connectionId, async (client) => {
          const state = input.updatedAfter ? undefined : await db('order_sync_state').where({ connection_id: connection.id }).first();
          const watermark: Date = input.updatedAfter ? new Date(input.updatedAfter) : state?.modified_after ?? connection.startDate;
          const since = ecomDateTime(new Date(watermark.getTime() - POLL_OVERLAP_MS));
          const signal = Context.current().cancellationSignal;
          let newest = watermark.getTime();
          let sinceId = 0;
          const total = emptyApplyTotals();
          for (let page = 1; ; page++) {
            const list = await client.orders.list({ updated_at_min: since, since_id: sinceId, limit: ECOM_MAX_LIMIT });
            const orders: RemoteOrder[] = [];
            for (const o of list) {
              if (signal.aborted) throw signal.reason;
              orders.push(await readOrder(client, o));
              heartbeat({ page, order: o.id });
            }
            addApplyTotals(total, await applyLiveOrders(db, connection, orders, ecomOrderChannel));
            for (const o of list) newest = Math.max(newest, Date.parse(o.updatedAt) || 0);
            if (list.length < ECOM_MAX_LIMIT) break;
            sinceId = Math.max(...list.map((o) => o.id));
          }
          await db('order_sync_state')
            .insert({ connection_id: connection.id, modified_after: new Date(newest), polled_at: db.fn.now() })
            .onConflict('connection_id')
            .merge({ modified_after: db.raw('greatest(order_sync_state.modified_after, excluded.modified_after)'), polled_at: db.fn.now() });
          return { orders: total.orders, modifiedAfter: since, imported: total.imported, failed: total.failed, watermark: new Date(newest).toISOString() };
        });
      }));
    },

    /**
     * The shop's order webhook to this connection's address (`*` on orders, JSON): created when
     * missing; another one of ours at this connection's path with an old address is removed, so
     * the shop never delivers twice (it keeps duplicates, apis.md §2.8).
     */
    async ensureEcomOrderWebhook(input: { connectionId: string; publicUrl: string }): Promise<{ webhookId: number; created: boolean; removed: number }> {
      return withEcomErrors(async () => {
        const connection = await ecomConnection(db, input.connectionId);
        return withClient(input.connectionId, async (client) => {
          const language = deps.ecom!.get(input.connectionId)!.language;
          const address = ecomOrderHookAddress(input.publicUrl, connection.id, await ecomOrderHookToken(db, connection.id));
          const path = new URL(address).pathname;
          const hooks = await client.webhooks.list();
          const mine = hooks.filter((h) => h.itemGroup === 'orders' && URL.canParse(h.address) && new URL(h.address).pathname === path);
          let hook = mine.find((h) => h.address === address && h.isActive && h.itemAction === '*');
          let removed = 0;
          for (const h of mine) {
            if (h === hook) continue;
            await client.webhooks.delete(h.id);
            removed += 1;
          }
          const created = !hook;
          hook ??= await client.webhooks.create({ isActive: true, itemGroup: 'orders', itemAction: '*', language, format: 'json', address });
          await db('ecom_order_hooks').where({ connection_id: connection.id }).update({ webhook_id: hook.id, address: new URL(address).origin + path, ensured_at: db.fn.now() });
          return { webhookId: hook.id, created, removed };
        });
      });
    },
  };
}
