import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { listBackups } from '../../activities/pos/backups';
import { listOrderOutcomes, ORDER_OUTCOMES } from '../../activities/pos/order-outcomes';
import { parseWith } from '../errors';

const orderOutcomesQuery = z.object({
  outcome: z.enum(ORDER_OUTCOMES, { message: `must be one of ${ORDER_OUTCOMES.join(', ')}` }).optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
  after_id: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').max(Number.MAX_SAFE_INTEGER, 'is too large').optional(),
}).strict();

const backupListQuery = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
}).strict();

/** What the import recorded (issue 8 point 10): orders by outcome with their reasons, and the backups. */
export function registerImportRecordRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  app.get<{ Params: { id: string } }>('/api/connections/:id/orders', async (req, reply) => {
    const q = parseWith(orderOutcomesQuery, req.query);
    const connection = await db('connections').where({ id: req.params.id }).first('id');
    if (!connection) return reply.status(404).send({ error: 'not_found', message: `connection ${req.params.id} does not exist` });
    return listOrderOutcomes(db, { connectionId: req.params.id, outcome: q.outcome, limit: q.limit, afterId: q.after_id });
  });
  app.get('/api/backups', async (req) => {
    const q = parseWith(backupListQuery, req.query);
    return { backups: await listBackups(db, { limit: q.limit }) };
  });
  app.get<{ Params: { id: string } }>('/api/backups/:id', async (req, reply) => {
    const [backup] = await listBackups(db, { id: req.params.id });
    if (!backup) return reply.status(404).send({ error: 'not_found', message: `backup ${req.params.id} does not exist` });
    return backup;
  });
}
