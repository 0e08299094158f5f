import type { Knex } from 'knex';
import { connectionsSummingOutlet } from './connection-outlets';

/**
 * Outlets and their registers, as an operator sets up the shop floor (issue 8 point 8).
 * Nothing is ever deleted: sales, stock and connections point at these rows, so an outlet or a
 * register that is no longer used is deactivated. A deactivated register records no sales.
 *
 * What keeps the shop floor consistent:
 * - an outlet name is unique; a register name is unique within its outlet (409);
 * - a register used by an active connection cannot be deactivated or moved to another outlet
 *   (the shop's stock and its orders live at that register's outlet) (409);
 * - an outlet with active registers cannot be deactivated: deactivate (or move) them first (409);
 * - a register cannot be created in, moved to or reactivated in a deactivated outlet (400/409).
 */

export interface Outlet {
  id: number;
  name: string;
  active: boolean;
  created_at: Date;
}

export interface Register {
  id: number;
  outlet_id: number;
  name: string;
  active: boolean;
  created_at: Date;
}

/** A refusal naming the field, with the HTTP status it deserves (400 bad value, 404 unknown id, 409 conflict). */
export class ShopFloorError extends Error {
  override name = 'ShopFloorError';
  constructor(public readonly field: string, message: string, public readonly status: 400 | 404 | 409) {
    super(message);
  }
}

const OUTLET_COLUMNS = ['id', 'name', 'active', 'created_at'];
const REGISTER_COLUMNS = ['id', 'outlet_id', 'name', 'active', 'created_at'];

export async function listOutlets(db: Knex): Promise<Outlet[]> {
  return db('outlets').select(OUTLET_COLUMNS).orderBy('id');
}

export async function listRegisters(db: Knex): Promise<Register[]> {
  return db('registers').select(REGISTER_COLUMNS).orderBy('id');
}

export async function createOutlet(trx: Knex.Transaction, input: { name: string; active?: boolean }): Promise<Outlet> {
  await assertOutletNameFree(trx, input.name);
  const [row] = await uniqueName(trx('outlets').insert({ name: input.name, active: input.active ?? true }, OUTLET_COLUMNS));
  return row;
}

export async function updateOutlet(trx: Knex.Transaction, id: number, change: { name?: string; active?: boolean }): Promise<Outlet> {
  const current: Outlet | undefined = await trx('outlets').where({ id }).forUpdate().first(OUTLET_COLUMNS);
  if (!current) throw new ShopFloorError('id', `outlet ${id} does not exist`, 404);
  if (change.name !== undefined && change.name !== current.name) await assertOutletNameFree(trx, change.name);
  if (change.active === false && current.active) await assertOutletUnused(trx, id);
  const [row] = await uniqueName(trx('outlets').where({ id }).update({ name: change.name ?? current.name, active: change.active ?? current.active }, OUTLET_COLUMNS));
  return row;
}

export async function createRegister(trx: Knex.Transaction, input: { outlet_id: number; name: string; active?: boolean }): Promise<Register> {
  await assertOutletOpen(trx, input.outlet_id, 'outlet_id', 400);
  await assertRegisterNameFree(trx, input.outlet_id, input.name);
  const [row] = await uniqueName(trx('registers').insert({ outlet_id: input.outlet_id, name: input.name, active: input.active ?? true }, REGISTER_COLUMNS));
  return row;
}

export async function updateRegister(
  trx: Knex.Transaction, id: number, change: { outlet_id?: number; name?: string; active?: boolean },
): Promise<Register> {
  const current: Register | undefined = await trx('registers').where({ id }).forUpdate().first(REGISTER_COLUMNS);
  if (!current) throw new ShopFloorError('id', `register ${id} does not exist`, 404);
  const next = { outlet_id: change.outlet_id ?? current.outlet_id, name: change.name ?? current.name, active: change.active ?? current.active };
  if (next.outlet_id !== current.outlet_id) {
    await assertOutletOpen(trx, next.outlet_id, 'outlet_id', 400);
    const users = await activeConnectionsAt(trx, [id]);
    if (users.length > 0) {
      throw new ShopFloorError('outlet_id', `register ${id} is the register of active connection(s) ${users.join(', ')}: their stock and orders live at its outlet, so it cannot move; give the connection another register first`, 409);
    }
  }
  if (next.outlet_id !== current.outlet_id || next.name !== current.name) await assertRegisterNameFree(trx, next.outlet_id, next.name, id);
  if (!next.active && current.active) {
    const users = await activeConnectionsAt(trx, [id]);
    if (users.length > 0) {
      throw new ShopFloorError('active', `register ${id} is the register of active connection(s) ${users.join(', ')}, whose shop orders are booked at it; give the connection another register (or deactivate it) first`, 409);
    }
  }
  if (next.active && (!current.active || next.outlet_id !== current.outlet_id)) await assertOutletOpen(trx, next.outlet_id, 'active', 409);
  const [row] = await uniqueName(trx('registers').where({ id }).update(next, REGISTER_COLUMNS));
  return row;
}

async function assertOutletNameFree(trx: Knex.Transaction, name: string): Promise<void> {
  const taken = await trx('outlets').where({ name }).first('id');
  if (taken) throw new ShopFloorError('name', `outlet ${taken.id} is already named "${name}"`, 409);
}

async function assertRegisterNameFree(trx: Knex.Transaction, outletId: number, name: string, self?: number): Promise<void> {
  const taken = await trx('registers').where({ outlet_id: outletId, name }).modify((q) => (self === undefined ? q : q.whereNot({ id: self }))).first('id');
  if (taken) throw new ShopFloorError('name', `register ${taken.id} of outlet ${outletId} is already named "${name}"`, 409);
}

async function assertOutletOpen(trx: Knex.Transaction, outletId: number, field: string, status: 400 | 409): Promise<void> {
  const outlet = await trx('outlets').where({ id: outletId }).forShare().first('active');
  if (!outlet) throw new ShopFloorError(field, `outlet ${outletId} does not exist`, 400);
  if (!outlet.active) throw new ShopFloorError(field, `outlet ${outletId} is deactivated; activate it first (PATCH /api/outlets/${outletId} {"active": true})`, status);
}

async function assertOutletUnused(trx: Knex.Transaction, outletId: number): Promise<void> {
  const registers: { id: number; name: string }[] = await trx('registers').where({ outlet_id: outletId, active: true }).orderBy('id').select('id', 'name');
  const users = await activeConnectionsAt(trx, registers.map((r) => r.id));
  if (users.length > 0) {
    throw new ShopFloorError('active', `outlet ${outletId} holds the stock of active connection(s) ${users.join(', ')} (through their register); give them a register elsewhere first`, 409);
  }
  const summing = await connectionsSummingOutlet(trx, outletId);
  if (summing.length > 0) {
    throw new ShopFloorError('active', `outlet ${outletId} is in the outlet set of active connection(s) ${summing.join(', ')}; remove it first (possync outlets <connection> --remove ${outletId})`, 409);
  }
  if (registers.length > 0) {
    const list = registers.map((r) => `${r.id} "${r.name}"`).join(', ');
    throw new ShopFloorError('active', `outlet ${outletId} still has active register(s) ${list}; deactivate or move them first`, 409);
  }
}

async function activeConnectionsAt(trx: Knex.Transaction, registerIds: number[]): Promise<string[]> {
  if (registerIds.length === 0) return [];
  return (await trx('connections').whereIn('register_id', registerIds).where({ active: true }).orderBy('id').select('id')).map((c) => c.id);
}

/** Two requests that pass the name check at once: the unique index refuses the second. */
async function uniqueName<T>(q: PromiseLike<T>): Promise<T> {
  try {
    return await q;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new ShopFloorError('name', 'the name is already taken (another request took it just now)', 409);
    throw err;
  }
}
