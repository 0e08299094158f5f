import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { DB_INT_MAX } from '../schemas';
import { registerOutletRegisterRoutes } from './outlets-registers';
import { registerSyncFailureRoutes } from './sync-failures';

/** What an operator or a script reads and sets up: outlets and registers, connections, a product's sync log, sync failures. */
export function registerReferenceRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get('/api/connections', async () => ({
    connections: await db('connections').select('id', 'kind', 'name', 'base_url', 'register_id', 'start_date', 'active').orderBy('id'),
  }));
  app.get<{ Params: { id: string } }>('/api/products/:id/sync-log', async (req) => {
    const id = Number(req.params.id);
    // An id past the integer range has no entries (and would make PostgreSQL fail).
    if (!Number.isInteger(id) || id <= 0 || id > DB_INT_MAX) return { entries: [] };
    return { entries: await db('sync_log').where({ product_id: id }).orderBy('id', 'desc').limit(50) };
  });
  registerOutletRegisterRoutes(app, deps);
  registerSyncFailureRoutes(app, deps);
}
