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
  const items = received.map((r) => r.item);
  if (items.length === 0) return { callId: undefined, movementIds: [] };
  return db.transaction(async (trx) => {
    const { rows } = await trx.raw(
      `SELECT nextval(pg_get_serial_sequence('smartbill_movements', 'id'))::int AS id FROM generate_series(1, ?)`, [items.length],
    );
    const ids: number[] = rows.map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b);
    const callId = ids[0]!;
    await trx.batchInsert('smartbill_movements', items.map((item, i) => ({
      id: ids[i],
      connection_id: connectionId,
      call_id: callId,
      source,
      warehouse: item.warehouse,
      product_code: item.productCode,
      product_name: item.productName,
      product_key: productKey(item),
      quantity: item.quantity,
      sent_quantity: item.sentQuantity,
      measuring_unit: item.measuringUnit ?? null,
      ...(received[i]!.skipped ? { outcome: 'skipped', reason: received[i]!.skipped, settled_at: trx.fn.now() } : {}),
    })), 500);
    return { callId, movementIds: ids };
  });
}
