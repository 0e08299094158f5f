import type { Knex } from 'knex';
import type { SmartBillStockItem } from '../../domain/smartbill-stock-call';
import { wpSlug } from '../../domain/wp-slug';

/** `code:<code>` when SmartBill uses codes, else `name:<slug>` (the plugin's two ways of matching, M-D1). */
export function productKey(item: Pick<SmartBillStockItem, 'productCode' | 'productName'>): string {
  return item.productCode ? `code:${item.productCode.toLowerCase()}` : `name:${wpSlug(item.productName)}`;
}

export interface RecordedCall {
  callId: number | undefined;
  movementIds: number[];
}

/** Commits a call's movements in one transaction, in the order SmartBill sent them; their ids order them. */
export interface ReceivedItem {
  item: SmartBillStockItem;
  /** Set when the item is settled on arrival (another warehouse, none configured): recorded with its reason. */
  skipped?: string;
}

export async function recordStockCall(db: Knex, connectionId: string, received: ReceivedItem[], source: 'receiver' | 'pull' = 'receiver'): Promise<RecordedCall> {
  if (received.length === 0) return { callId: undefined, movementIds: [] };
  const col = <T>(f: (r: ReceivedItem) => T) => received.map(f);
  // One statement (its own transaction): the receiver answers SmartBill after one round trip. The call id is
  // drawn from the same sequence; the movements' ids follow SmartBill's order within the call.
  const { rows } = await db.raw(
    `WITH c AS (SELECT nextval(pg_get_serial_sequence('smartbill_movements', 'id')) AS call_id)
     INSERT INTO smartbill_movements (connection_id, call_id, source, warehouse, product_code, product_name, product_key, quantity,
                                      sent_quantity, measuring_unit, outcome, reason, settled_at)
     SELECT ?, c.call_id, ?, u.warehouse, u.code, u.name, u.key, u.quantity, u.sent, u.unit, u.outcome, u.reason,
            CASE WHEN u.outcome IS NULL THEN NULL ELSE now() END
     FROM c, unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::numeric[], ?::text[], ?::text[], ?::text[])
          WITH ORDINALITY AS u(warehouse, code, name, key, quantity, sent, unit, outcome, reason, ord)
     ORDER BY u.ord
     RETURNING id, call_id`,
    [
      connectionId, source,
      col((r) => r.item.warehouse), col((r) => r.item.productCode), col((r) => r.item.productName), col((r) => productKey(r.item)),
      col((r) => r.item.quantity), col((r) => r.item.sentQuantity), col((r) => r.item.measuringUnit ?? null),
      col((r) => (r.skipped ? 'skipped' : null)), col((r) => r.skipped ?? null),
    ] as Knex.RawBinding[],
  );
  return { callId: Number(rows[0].call_id), movementIds: rows.map((r: { id: string }) => Number(r.id)) };
}
