import knexFactory, { type Knex } from 'knex';
import { types } from 'pg';
import { migrationSource } from './migrations';

// numeric -> JS number (prices and weights fit comfortably); bigint ids -> number.
types.setTypeParser(1700, (v) => (v === null ? null : Number(v)));
types.setTypeParser(20, (v) => (v === null ? null : Number(v)));

export type Db = Knex;

export function connectDb(url: string, pool: { min?: number; max?: number; acquireTimeoutMs?: number } = {}): Db {
  return knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    ...(pool.acquireTimeoutMs ? { acquireConnectionTimeout: pool.acquireTimeoutMs } : {}),
  });
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
