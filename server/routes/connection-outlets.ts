import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/connection';
import { ConnectionOutletsError, readConnectionOutlets, setConnectionOutlets } from '../../activities/pos/connection-outlets';
import { BadRequestError, parseWith } from '../errors';
import { runOperation } from '../idempotency';
import { DB_INT_MAX } from '../schemas';

type Params = { Params: { id: string } };

const outletId = z.number().int('must be a whole number').positive('must be a positive id').max(DB_INT_MAX, `must be at most ${DB_INT_MAX}`);
/** The whole set; the GET document (with its read-only fields) can be sent back. */
const putSchema = z.object({
  outlet_ids: z.array(outletId).min(1, 'must name at least one outlet').max(1000, 'at most 1000 outlets'),
  connection_id: z.string().optional(),
  default: z.boolean().optional(),
  queued: z.number().optional(),
}).strict();

/**
 * Issue 11 (M-C6): the outlets whose stock a connection sums. Admin routes. A PUT replaces the
 * set and queues, in the same transaction, every linked product whose summed stock changes.
 */
export function registerConnectionOutletRoutes(app: FastifyInstance, deps: { db: Db; afterCommit: () => void }): void {
  const { db } = deps;
  const asBadRequest = (err: unknown): never => {
    if (err instanceof ConnectionOutletsError) throw new BadRequestError([{ field: err.field, message: err.message }], err.status);
    throw err;
  };
  app.get<Params>('/api/connections/:id/outlets', async (req) => readConnectionOutlets(db, req.params.id).catch(asBadRequest));
  app.put<Params>('/api/connections/:id/outlets', async (req, reply) => {
    const body = parseWith(putSchema, req.body);
    if (body.connection_id !== undefined && body.connection_id !== req.params.id) {
      throw new BadRequestError([{ field: 'connection_id', message: `the body is the set of ${body.connection_id}, the URL names ${req.params.id}` }]);
    }
    const res = await runOperation(db, req, { params: req.params, body: req.body }, async (trx) => ({
      status: 200,
      body: await setConnectionOutlets(trx, req.params.id, body.outlet_ids).catch(asBadRequest),
    }));
    deps.afterCommit();
    if (res.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(res.status).send(res.body);
  });
}
