import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { DB_INT_MAX } from '../schemas';
import { registerSyncFailureRoutes } from './sync-failures';

/** Read-only views an operator or a script needs: outlets, registers, connections, recent sync failures. */
export function registerReferenceRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get('/api/outlets', async () => ({ outlets: await db('outlets').orderBy('id') }));
  app.get('/api/registers', async () => ({ registers: await db('registers').orderBy('id') }));
  app.get('/api/connections', async () => ({
    connections: await db('connections').select('id', 'kind', 'name', 'base_url', 'register_id', 'start_date', 'active').orderBy('id'),
  }));
  app.get<{ Params: { id: string } }>('/api/products/:id/sync-log', async (req) => {
    const id = Number(req.params.id);
    // An id past the integer range has no entries (and would make PostgreSQL fail).
    if (!Number.isInteger(id) || id <= 0 || id > DB_INT_MAX) return { entries: [] };
    return { entries: await db('sync_log').where({ product_id: id }).orderBy('id', 'desc').limit(50) };
  });
  registerSyncFailureRoutes(app, deps);
}
