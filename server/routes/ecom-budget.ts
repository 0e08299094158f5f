import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { readEcomBudget } from '../../activities/ecom/budget-report';
import { BadRequestError } from '../errors';

/** Issue 10 point 8: an eCom connection's request budget and backlog, as `possync budget` prints it (admin only). */
export function registerEcomBudgetRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get<{ Params: { id: string } }>('/api/connections/:id/budget', async (req, reply) => {
    const connection = await db('connections').where({ id: req.params.id }).first('id', 'kind');
    if (!connection) return reply.status(404).send({ error: 'not_found', message: `no connection ${req.params.id}` });
    if (connection.kind !== 'ecom') {
      throw new BadRequestError([{ field: 'id', message: `${connection.id} is a ${connection.kind} connection; only Lightspeed eCom connections have a request budget` }]);
    }
    return readEcomBudget(db, connection.id);
  });
}
