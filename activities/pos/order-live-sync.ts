import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import type { RemoteOrder } from '../../domain/remote-order';
import type { ConnectionInfo } from './connections';
import { applyRemoteOrders, type ApplySummary, type OrderChannel } from './order-apply';
import { lockRemoteOrders } from './order-locks';

/** Orders created before the connection are history (M-B2): live sync leaves them to the import, unless already imported. */
export async function liveOnly(db: Db | Knex.Transaction, connection: ConnectionInfo, orders: RemoteOrder[]): Promise<RemoteOrder[]> {
  const start = connection.startDate.getTime();
  const old = orders.filter((o) => Date.parse(`${o.dateCreatedGmt}Z`) < start).map((o) => o.id);
  if (old.length === 0) return orders;
  const known = new Set(
    (await db('remote_orders').where({ connection_id: connection.id }).whereIn('remote_order_id', old).select('remote_order_id')).map((r) => Number(r.remote_order_id)),
  );
  return orders.filter((o) => !old.includes(o.id) || known.has(o.id));
}

/** A page of live orders (a poll page) applied in one transaction. */
export async function applyLiveOrders(db: Db, connection: ConnectionInfo, orders: RemoteOrder[], channel?: OrderChannel): Promise<Omit<ApplySummary, 'productIds'>> {
  const live = await liveOnly(db, connection, orders);
  const { productIds: _ignored, ...rest } = await db.transaction((trx) => applyRemoteOrders(trx, connection, live, { mode: 'sync', channel }));
  return rest;
}

/**
 * One order, read from the shop outside any transaction (a slow shop must not hold database
 * connections the tills need), then applied under its lock (issue 7.1). When another apply of it
 * committed after this read began, that one may have read a newer state: read again (a few times;
 * after that the older-read guard in applyRemoteOrders and the next poll still converge).
 */
export async function readAndApplyOrder(
  db: Db, connection: ConnectionInfo, id: number, read: () => Promise<RemoteOrder[]>, channel?: OrderChannel,
): Promise<ApplySummary> {
  for (let attempt = 1; ; attempt++) {
    const readFrom: Date = (await db.raw('SELECT clock_timestamp() AS t')).rows[0].t;
    const orders = await read();
    const applied = await db.transaction(async (trx) => {
      await lockRemoteOrders(trx, connection.id, [id]);
      const newer = await trx('remote_orders').where({ connection_id: connection.id, remote_order_id: id }).where('updated_at', '>', readFrom).first('remote_order_id');
      if (newer && attempt < 5) return undefined;
      return applyRemoteOrders(trx, connection, await liveOnly(trx, connection, orders), { mode: 'sync', channel });
    });
    if (applied) return applied;
  }
}

export const emptyApplyTotals = (): Omit<ApplySummary, 'productIds'> => ({ orders: 0, imported: 0, skipped: 0, failed: 0, linked: 0, created: 0, deducted: 0, failures: [] });

/** Adds one apply's counts into running totals. */
export function addApplyTotals(total: Omit<ApplySummary, 'productIds'>, s: Omit<ApplySummary, 'productIds'>): void {
  for (const k of ['orders', 'imported', 'skipped', 'failed', 'linked', 'created', 'deducted'] as const) total[k] += s[k];
  total.failures.push(...s.failures);
}
