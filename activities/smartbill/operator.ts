import type { Knex } from 'knex';
import { ApplicationFailure } from '@temporalio/common';
import { recordStockCall } from './ledger';
import { SmartBillClient } from './client';
import type { SmartBillRegistry } from './registry';

/** The plugin allows a manual pull at most every 5 minutes; so does possync unless forced (M-D7). */
export const PULL_INTERVAL_MS = 5 * 60_000;

export interface SmartBillCheck {
  warehouses: string[];
  /** The configured warehouse, as SmartBill spells it (compared case-insensitively), or undefined when missing. */
  warehouse?: string;
  problem?: string;
}

export type PullStart =
  | { started: true; callId: number | undefined; items: number }
  | { started: false; nextAllowedAt: string };

export type CallReport = Record<string, number>;

export function createSmartBillOperatorActivities(deps: { db: Knex; smartbill: SmartBillRegistry }) {
  const connectionOf = (id: string) => {
    const c = deps.smartbill.get(id);
    if (!c) throw ApplicationFailure.create({ message: `no SmartBill connection ${id} is configured`, type: 'UnknownConnection', nonRetryable: true });
    return c;
  };
  const clientOf = (id: string) => new SmartBillClient(connectionOf(id));

  return {
    /** M-D6: the API credentials and company work, and which warehouses there are to choose from. */
    async checkSmartBill(input: { connectionId: string }): Promise<SmartBillCheck> {
      const c = connectionOf(input.connectionId);
      const warehouses = await clientOf(c.id).warehouses();
      const warehouse = c.warehouse ? warehouses.find((w) => w.toLowerCase() === c.warehouse!.trim().toLowerCase()) : undefined;
      const problem = !c.warehouse
        ? 'no warehouse is configured: every movement is skipped until one is chosen (M-D5)'
        : !warehouse ? `the configured warehouse "${c.warehouse}" is not one of SmartBill's: ${warehouses.join(', ') || '(none)'}` : undefined;
      return { warehouses, warehouse, problem };
    },

    /** M-D7: the warehouse's current stock from SmartBill's API, recorded as one call to apply. */
    async pullSmartBillStock(input: { connectionId: string; force: boolean }): Promise<PullStart> {
      const c = connectionOf(input.connectionId);
      if (!c.warehouse) throw ApplicationFailure.create({ message: `connection ${c.id} has no warehouse configured: nothing to pull (M-D5)`, type: 'NoWarehouse', nonRetryable: true });
      return deps.db.transaction(async (trx) => {
        await trx('smartbill_pulls').insert({ connection_id: c.id, pulled_at: new Date(0) }).onConflict('connection_id').ignore();
        const last = await trx('smartbill_pulls').where({ connection_id: c.id }).forUpdate().first();
        const nextAllowed = new Date(last.pulled_at).getTime() + PULL_INTERVAL_MS;
        if (!input.force && nextAllowed > Date.now()) return { started: false, nextAllowedAt: new Date(nextAllowed).toISOString() };
        const client = clientOf(c.id);
        const warehouses = await client.warehouses();
        const name = warehouses.find((w) => w.toLowerCase() === c.warehouse!.trim().toLowerCase());
        if (!name) throw ApplicationFailure.create({ message: `SmartBill has no warehouse "${c.warehouse}" (it has: ${warehouses.join(', ') || 'none'})`, type: 'NoWarehouse', nonRetryable: true });
        const stock = await client.stocks(name);
        const items = stock.filter((s) => Number.isFinite(s.quantity)).map((s) => ({
          item: { warehouse: name, productCode: s.productCode, productName: s.productName, quantity: Math.trunc(s.quantity), sentQuantity: s.quantity, measuringUnit: s.measuringUnit },
        }));
        const recorded = await recordStockCall(trx, c.id, items, 'pull');
        await trx('smartbill_pulls').where({ connection_id: c.id }).update({ pulled_at: trx.fn.now() });
        return { started: true, callId: recorded.callId, items: items.length };
      });
    },

    /** What became of one call's movements, by outcome (pending ones under "pending"). */
    async smartbillCallReport(input: { connectionId: string; callId: number }): Promise<CallReport> {
      const rows: { outcome: string | null; n: string }[] = await deps.db('smartbill_movements')
        .where({ connection_id: input.connectionId, call_id: input.callId }).groupBy('outcome').select('outcome').count('* as n');
      return Object.fromEntries(rows.map((r) => [r.outcome ?? 'pending', Number(r.n)]));
    },
  };
}
