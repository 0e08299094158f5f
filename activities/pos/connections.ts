import type { Knex } from 'knex';

type Reader = Knex | Knex.Transaction;

export interface ConnectionInfo {
  id: string;
  kind: 'woocommerce' | 'ecom';
  name: string;
  baseUrl: string;
  registerId: number;
  /** The outlet of the connection's register: where its stock lives and its orders deduct (M-B4). */
  outletId: number;
  startDate: Date;
  active: boolean;
}

const toInfo = (r: any): ConnectionInfo => ({
  id: r.id, kind: r.kind, name: r.name, baseUrl: r.base_url, registerId: r.register_id, outletId: r.outlet_id,
  startDate: r.start_date, active: r.active,
});

const base = (db: Reader) =>
  db('connections as c').join('registers as r', 'r.id', 'c.register_id').select('c.*', 'r.outlet_id');

export async function getConnection(db: Reader, id: string): Promise<ConnectionInfo | undefined> {
  const row = await base(db).where('c.id', id).first();
  return row ? toInfo(row) : undefined;
}

export async function activeConnections(db: Reader, kind: 'woocommerce' | 'ecom'): Promise<ConnectionInfo[]> {
  return (await base(db).where({ 'c.kind': kind, 'c.active': true }).orderBy('c.id')).map(toInfo);
}
