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

  /** GET, POST and PATCH of one kind of shop-floor row. */
  const rows = <C, P extends { id?: number }>(path: string, spec: {
    list: (db: Db) => Promise<unknown[]>;
    create: { schema: Parameters<typeof parseWith<C>>[0]; op: (trx: Knex.Transaction, body: C) => Promise<unknown> };
    patch: { schema: Parameters<typeof parseWith<P>>[0]; op: (trx: Knex.Transaction, id: number, body: P) => Promise<unknown> };
  }) => {
    app.get(`/api/${path}`, async () => ({ [path]: await spec.list(db) }));
    app.post(`/api/${path}`, async (req, reply) => {
      const body = parseWith(spec.create.schema, req.body);
      return write(req, reply, 201, (trx) => spec.create.op(trx, body));
    });
    app.patch<Params>(`/api/${path}/:id`, async (req, reply) => {
      const id = pathId(req.params.id);
      const body = parseWith(spec.patch.schema, req.body);
      sameId(id, body.id);
      return write(req, reply, 200, (trx) => spec.patch.op(trx, id, body));
    });
  };
  rows('outlets', {
    list: floor.listOutlets,
    create: { schema: outletCreateSchema, op: floor.createOutlet },
    patch: { schema: outletPatchSchema, op: floor.updateOutlet },
  });
  rows('registers', {
    list: floor.listRegisters,
    create: { schema: registerCreateSchema, op: floor.createRegister },
    patch: { schema: registerPatchSchema, op: floor.updateRegister },
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
