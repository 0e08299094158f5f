import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';

/** Read-only views an operator or a script needs: outlets, registers, connections, recent sync failures. */
export function registerReferenceRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get('/api/health', async () => ({ ok: true }));
  app.get('/api/outlets', async () => ({ outlets: await db('outlets').orderBy('id') }));
  app.get('/api/registers', async () => ({ registers: await db('registers').orderBy('id') }));
  app.get('/api/connections', async () => ({
    connections: await db('connections').select('id', 'kind', 'name', 'base_url', 'register_id', 'start_date', 'active').orderBy('id'),
  }));
  app.get<{ Params: { id: string } }>('/api/products/:id/sync-log', async (req) => ({
    entries: await db('sync_log').where({ product_id: Number(req.params.id) || 0 }).orderBy('id', 'desc').limit(50),
  }));
  app.get<{ Querystring: { limit?: string } }>('/api/sync-failures', async (req) => ({
    failures: await db('sync_log').whereIn('status', ['failed', 'trashed', 'compensation_failed']).orderBy('id', 'desc').limit(Math.min(Number(req.query.limit ?? 50) || 50, 500)),
  }));
}
