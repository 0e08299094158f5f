import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { BadRequestError } from '../errors';

const OUTCOMES = ['pending', 'applied', 'unchanged', 'superseded', 'skipped', 'not_found', 'ambiguous', 'not_managed', 'not_owner', 'refused'] as const;
const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  outcome: z.enum(OUTCOMES).optional(),
  before_id: z.coerce.number().int().positive().optional(),
}).strict();

/** `possync smartbill report`: the last SmartBill movements of a connection and what became of each (issue 12). */
export function registerSmartBillRoutes(app: FastifyInstance, deps: { db: Db }): void {
  app.get<{ Params: { connectionId: string }; Querystring: unknown }>('/api/smartbill/:connectionId/movements', async (req) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw new BadRequestError(parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'query', message: i.message })));
    const { limit, outcome, before_id } = parsed.data;
    let q = deps.db('smartbill_movements').where({ connection_id: req.params.connectionId }).orderBy('id', 'desc').limit(limit);
    if (outcome === 'pending') q = q.whereNull('outcome');
    else if (outcome) q = q.where({ outcome });
    if (before_id) q = q.where('id', '<', before_id);
    const rows = await q.select('id', 'call_id', 'source', 'received_at', 'warehouse', 'product_code', 'product_name', 'quantity', 'sent_quantity',
      'measuring_unit', 'outcome', 'reason', 'shop_product_id', 'shop_variation_id', 'settled_at');
    const totals: { outcome: string | null; n: string }[] = await deps.db('smartbill_movements').where({ connection_id: req.params.connectionId })
      .groupBy('outcome').select('outcome').count('* as n');
    return {
      connection_id: req.params.connectionId,
      totals: Object.fromEntries(totals.map((t) => [t.outcome ?? 'pending', Number(t.n)])),
      movements: rows.map((r: any) => ({ ...r, id: Number(r.id), call_id: Number(r.call_id), sent_quantity: Number(r.sent_quantity), outcome: r.outcome ?? 'pending' })),
    };
  });
}
