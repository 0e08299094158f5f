import type { Db } from '../db/connection';
import { getConnection } from '../activities/pos/connections';
import { receiveStockOrder } from '../activities/pos/operations';
import type { WooSandbox } from '../sandbox/woocommerce';

export const DEMO_HISTORY_REFERENCE = 'demo order history';

/**
 * `npm start` with a new sandbox store: an order history from before the connection, for
 * `possync import start <connection>` to bring in (M-B2). The import deducts what those orders hold
 * out of the shop's stock (M-B3), far more than the demo's few units per product; so those units are
 * first received at the connection's outlet as one stock order (the deliveries the history sold),
 * and the import leaves every product at the level the demo seed gave it, never below 0 (issue 8.13).
 */
export async function seedDemoHistory(
  deps: { db: Db; sandbox: WooSandbox; afterCommit: () => void },
  connectionId: string,
  opts: { count?: number; seed?: number } = {},
): Promise<{ orders: number; unitsReceived: number }> {
  const connection = await getConnection(deps.db, connectionId);
  if (!connection) throw new Error(`no connection ${connectionId}`);
  const { ids, stockHeld } = deps.sandbox.seedOrders({
    count: opts.count ?? 5000, createdBefore: new Date(connection.startDate.getTime() - 60_000), seed: opts.seed ?? 1,
  });
  const known = new Set<string>((await deps.db('products').whereIn('sku', Object.keys(stockHeld)).pluck('sku'))
    .concat(await deps.db('variants').whereIn('sku', Object.keys(stockHeld)).pluck('sku')));
  const lines = Object.entries(stockHeld).filter(([sku]) => known.has(sku)).map(([sku, received]) => ({ sku, received }));
  if (lines.length > 0) {
    await deps.db.transaction((trx) => receiveStockOrder(trx, { outlet_id: connection.outletId, reference: DEMO_HISTORY_REFERENCE, lines }));
    deps.afterCommit();
  }
  return { orders: ids.length, unitsReceived: lines.reduce((n, l) => n + l.received, 0) };
}
