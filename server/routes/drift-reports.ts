import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { driftCounts } from '../../activities/woocommerce/drift-scan';
import type { DriftItem } from '../../workflows/contracts/drift';
import { BadRequestError } from '../errors';

/** Issue 11: a drift report as `possync drift` prints it (the workflow returns only its id and counts). */
export function registerDriftReportRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get<{ Params: { id: string } }>('/api/drift-reports/:id', async (req, reply) => {
    if (!/^\d{1,15}$/.test(req.params.id)) throw new BadRequestError([{ field: 'id', message: 'must be a report id (a positive whole number)' }]);
    const report = await db('drift_reports').where({ id: req.params.id }).first();
    if (!report) return reply.status(404).send({ error: 'not_found', message: `no drift report ${req.params.id}` });
    const items: DriftItem[] = (await db('drift_items').where({ report_id: report.id }).orderBy(['kind', 'sku', 'id'])
      .select('kind', 'sku', 'product_id', 'remote_id', 'fields', 'shop', 'pos'))
      .map((i) => ({ ...i, remote_id: i.remote_id === null ? null : Number(i.remote_id) }));
    return {
      id: Number(report.id), connection_id: report.connection_id, sku: report.sku, started_at: report.started_at, finished_at: report.finished_at,
      shop_products: report.shop_products, shop_requests: report.shop_requests, counts: await driftCounts(db, String(report.id)),
      repaired: report.repaired, items,
    };
  });
}
