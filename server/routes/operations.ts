import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import * as ops from '../../activities/pos/operations';
import { parseWith } from '../errors';
import { runOperation } from '../idempotency';
import * as s from '../schemas';

type Op<B> = (trx: Knex.Transaction, body: B) => Promise<ops.OperationResult>;

/**
 * Sales, refunds, exchanges and the stock documents: one transaction each, then the pushes
 * (M-A2). An `Idempotency-Key` makes a till's retry answer the first result (server/idempotency.ts).
 */
export function registerOperationRoutes(app: FastifyInstance, deps: { db: Db; afterCommit: () => void }): void {
  const route = <B>(url: string, schema: Parameters<typeof parseWith<B>>[0], op: Op<B>) =>
    app.post(url, async (req, reply) => {
      const body = parseWith(schema, req.body);
      const res = await runOperation(deps.db, req, req.body, async (trx) => {
        const result = await op(trx, body);
        return {
          status: 201,
          body: {
            id: result.id,
            levels: result.levels.map((l) => ({ sku: l.sku, outlet_id: l.outletId, quantity: l.quantity })),
            products_to_push: result.productIds,
          },
        };
      });
      if (res.replayed) void reply.header('idempotent-replayed', 'true');
      else deps.afterCommit();
      return reply.status(res.status).send(res.body);
    });
  route('/api/sales', s.saleSchema, ops.recordSale);
  route('/api/refunds', s.refundSchema, ops.recordRefund);
  route('/api/exchanges', s.exchangeSchema, ops.recordExchange);
  route('/api/stock-counts', s.stockCountSchema, ops.completeStockCount);
  route('/api/stock-orders', s.stockOrderSchema, ops.receiveStockOrder);
  route('/api/stock-transfers', s.stockTransferSchema, ops.completeStockTransfer);
  route('/api/stock-adjustments', s.stockAdjustmentSchema, ops.completeStockAdjustment);
}
