import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import * as floor from '../../activities/pos/outlets-registers';
import { BadRequestError, parseWith } from '../errors';
import { runOperation } from '../idempotency';
import { DB_INT_MAX, outletCreateSchema, outletPatchSchema, registerCreateSchema, registerPatchSchema } from '../schemas';

type Params = { Params: { id: string } };

/**
 * The shop floor (issue 8 point 8): list, create, rename, move and (de)activate outlets and
 * registers. Admin operations; each is one transaction and takes an Idempotency-Key.
 */
export function registerOutletRegisterRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const { db } = deps;
  const write = async (req: FastifyRequest, reply: FastifyReply, status: number, op: (trx: Knex.Transaction) => Promise<unknown>) => {
    // The id is part of the request: the same body sent to two registers is two operations.
    const res = await runOperation(db, req, { params: req.params, body: req.body }, async (trx) => {
      try {
        return { status, body: await op(trx) };
      } catch (err) {
        if (err instanceof floor.ShopFloorError) throw new BadRequestError([{ field: err.field, message: err.message }], err.status);
        throw err;
      }
    });
    if (res.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(res.status).send(res.body);
  };

  app.get('/api/outlets', async () => ({ outlets: await floor.listOutlets(db) }));
  app.post('/api/outlets', async (req, reply) => {
    const body = parseWith(outletCreateSchema, req.body);
    return write(req, reply, 201, (trx) => floor.createOutlet(trx, body));
  });
  app.patch<Params>('/api/outlets/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    const body = parseWith(outletPatchSchema, req.body);
    sameId(id, body.id);
    return write(req, reply, 200, (trx) => floor.updateOutlet(trx, id, body));
  });

  app.get('/api/registers', async () => ({ registers: await floor.listRegisters(db) }));
  app.post('/api/registers', async (req, reply) => {
    const body = parseWith(registerCreateSchema, req.body);
    return write(req, reply, 201, (trx) => floor.createRegister(trx, body));
  });
  app.patch<Params>('/api/registers/:id', async (req, reply) => {
    const id = pathId(req.params.id);
    const body = parseWith(registerPatchSchema, req.body);
    sameId(id, body.id);
    return write(req, reply, 200, (trx) => floor.updateRegister(trx, id, body));
  });
}

function pathId(raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || id <= 0 || id > DB_INT_MAX) throw new BadRequestError([{ field: 'id', message: `must be a positive id (at most ${DB_INT_MAX})` }]);
  return id;
}

/** A document read from GET carries its id: it must be the one in the URL. */
function sameId(pathIdValue: number, bodyId: number | undefined): void {
  if (bodyId !== undefined && bodyId !== pathIdValue) {
    throw new BadRequestError([{ field: 'id', message: `the body is the document of ${bodyId}, the URL names ${pathIdValue}` }]);
  }
}
