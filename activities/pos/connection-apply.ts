import type { Knex } from 'knex';
import { ConfigError } from '../../stack/config';
import type { ConnectionSpec, RegisterRef } from '../../stack/connection-spec';
import { ConnectionOutletsError, setConnectionOutlets } from './connection-outlets';

export interface ApplyResult {
  added: string[];
  /** Connections whose stored settings changed, with the fields that did. */
  changed: { id: string; fields: string[] }[];
  /** In the database, active, and no longer configured: deactivated, their links kept. */
  deactivated: string[];
  unchanged: string[];
  /** Store URL each connection had before, for connection-start's "another store" rule. */
  previousUrls: Record<string, string | undefined>;
}

/** A configuration the database cannot take (an unknown register id, a changed kind): stops the start like a bad file. */
export class ConnectionSettingsError extends ConfigError {
  override name = 'ConnectionSettingsError';
}

/**
 * Brings the connections table to the configured set (issue 9): new connections are added, changed
 * settings stored, connections no longer configured deactivated and never deleted (their links stay).
 */
export async function applyConnections(db: Knex, specs: readonly ConnectionSpec[]): Promise<ApplyResult> {
  return db.transaction(async (trx) => {
    const result: ApplyResult = { added: [], changed: [], deactivated: [], unchanged: [], previousUrls: {} };
    for (const spec of specs) {
      const existing = await trx('connections').where({ id: spec.id }).first();
      result.previousUrls[spec.id] = existing?.base_url;
      if (existing && existing.kind !== spec.kind) {
        throw new ConnectionSettingsError(`connection ${spec.id}.kind: it is a ${existing.kind} connection with its links; a connection keeps its kind (give the ${spec.kind} one another id)`);
      }
      const registerId = await resolveRegister(trx, spec.id, spec.register, existing?.register_id);
      const row: Record<string, unknown> = {
        kind: spec.kind, name: spec.name, base_url: spec.url ?? '', register_id: registerId,
        settings: { ...spec.settings, sandbox: spec.sandbox }, active: true,
      };
      if (spec.startDate) row.start_date = spec.startDate;
      if (!existing) {
        await trx('connections').insert({ id: spec.id, ...row });
        await applyOutletSet(trx, spec);
        result.added.push(spec.id);
        continue;
      }
      const fields = Object.keys(row).filter((k) => !sameValue(existing[k], row[k]));
      if (fields.length === 0) {
        result.unchanged.push(spec.id);
        continue;
      }
      await trx('connections').where({ id: spec.id }).update(row);
      // Only when the file's settings changed: a set changed with `possync outlets` meanwhile is kept otherwise.
      if (fields.includes('settings')) await applyOutletSet(trx, spec);
      result.changed.push({ id: spec.id, fields });
    }
    const configured = specs.map((s) => s.id);
    const dropped = await trx('connections').where({ active: true }).whereNotIn('id', configured).pluck('id');
    if (dropped.length) {
      await trx('connections').whereIn('id', dropped).update({ active: false });
      // A deactivated connection takes no pushes: what waited for it is dropped, not retried for ever.
      // Reactivated, its catalog sync and the stock aggregation's full pass bring the shop back in line.
      await trx('batch_push_queue').whereIn('connection_id', dropped).delete();
      await trx('ecom_write_queue').whereIn('connection_id', dropped).delete();
    }
    result.deactivated = dropped.sort();
    return result;
  });
}

/** The file's `outlets:` (names) become the connection's outlet set (M-C6); the linked products whose sum changes are queued. */
export async function applyOutletSet(trx: Knex.Transaction, spec: ConnectionSpec): Promise<void> {
  const names = spec.settings.outlets;
  if (!Array.isArray(names) || names.length === 0) return;
  const ids: number[] = [];
  for (const name of names as string[]) {
    const outlet = await trx('outlets').where({ name }).first('id');
    if (!outlet) throw new ConnectionSettingsError(`connection ${spec.id}.outlets: there is no outlet named "${name}"`);
    ids.push(outlet.id);
  }
  try {
    await setConnectionOutlets(trx, spec.id, ids);
  } catch (err) {
    if (err instanceof ConnectionOutletsError) throw new ConnectionSettingsError(`connection ${spec.id}.outlets: ${err.message}`);
    throw err;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && a !== null) return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
  return a === b;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
}

/**
 * The register a connection's orders deduct at (M-B4). Named in the configuration: found, or
 * created with its outlet; not named: an existing connection keeps its own, a new one takes the first register.
 */
async function resolveRegister(trx: Knex.Transaction, id: string, ref: RegisterRef, current: number | undefined): Promise<number> {
  if (ref.id !== undefined) {
    const found = await trx('registers').where({ id: ref.id }).first('id');
    if (!found) throw new ConnectionSettingsError(`connection ${id}.register: there is no register with id ${ref.id}`);
    return ref.id;
  }
  if (ref.name === undefined) {
    if (current !== undefined) return current;
    const first = await trx('registers').orderBy('id').first('id');
    if (first) return first.id;
  }
  const registerName = ref.name ?? 'Register 1';
  const byName = await trx('registers').where({ name: registerName }).orderBy('id').first('id');
  if (byName) return byName.id;
  const outletName = ref.outlet ?? (ref.name ? ref.name : 'Main outlet');
  const outlet = (await trx('outlets').where({ name: outletName }).orderBy('id').first('id'))
    ?? (await trx('outlets').insert({ name: outletName }, ['id']))[0];
  const [created] = await trx('registers').insert({ outlet_id: outlet.id, name: registerName }, ['id']);
  return created.id;
}
