import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { blockedConnections } from '../../activities/pos/connection-blocks';
import { listPushFailures } from '../../activities/pos/push-failures';
import { lastReconciliation } from '../../activities/pos/reconcile';

/**
 * GET /api/sync-failures (issue 7 point 12): every product whose push is failing now (since
 * when, attempts, last error, whether it will be retried), the connections blocked for refused
 * credentials, the last reconciliation, and the recent failed sync log entries.
 */
export function registerSyncFailureRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get<{ Querystring: { limit?: string; product_id?: string; connection_id?: string } }>('/api/sync-failures', async (req, reply) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 500);
    const productId = req.query.product_id === undefined ? undefined : Number(req.query.product_id);
    if (productId !== undefined && !(Number.isInteger(productId) && productId > 0 && productId <= 2_147_483_647)) {
      return reply.code(400).send({ error: 'bad_request', problems: [{ field: 'product_id', message: 'must be a positive integer id' }] });
    }
    const failing = await listPushFailures(db, { productId, connectionId: req.query.connection_id, limit });
    const log = db('sync_log').whereIn('status', ['failed', 'trashed', 'compensation_failed']).orderBy('id', 'desc').limit(limit);
    if (productId !== undefined) log.where({ product_id: productId });
    return {
      failing: failing.map((f) => ({
        connection_id: f.connection_id, product_id: f.product_id, sku: f.sku, action: f.action, since: f.first_failed_at,
        last_attempt_at: f.last_failed_at, attempts: f.attempts, last_error: f.last_error, will_retry: f.will_retry,
        connection_blocked: f.connection_blocked,
      })),
      blocked_connections: await blockedConnections(db),
      reconciliation: (await lastReconciliation(db)) ?? null,
      failures: await log,
    };
  });
}
