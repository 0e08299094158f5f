// The creation saga of one product on one eCom connection (migration 022, ecom_creations): a run key
// that every object it creates is recorded with, so a retry resumes it and a refusal undoes only it.
import crypto from 'node:crypto';
import type { Knex } from 'knex';

export interface CreationRun {
  runKey: string;
  /** True when an earlier attempt of this run already started (a retry after a fault or a killed worker). */
  resumed: boolean;
}

export async function runningCreation(db: Knex, connectionId: string, productId: number): Promise<string | null> {
  const row = await db('ecom_creations').where({ connection_id: connectionId, product_id: productId, state: 'running' }).first('run_key');
  return row?.run_key ?? null;
}

export async function beginOrResumeCreation(db: Knex, connectionId: string, productId: number): Promise<CreationRun> {
  const running = await runningCreation(db, connectionId, productId);
  if (running) return { runKey: running, resumed: true };
  const runKey = crypto.randomUUID();
  await db('ecom_creations')
    .insert({ connection_id: connectionId, product_id: productId, run_key: runKey, state: 'running' })
    .onConflict(['connection_id', 'product_id'])
    .merge({ run_key: runKey, state: 'running', started_at: db.fn.now(), settled_at: null });
  return { runKey, resumed: false };
}

export async function settleCreation(db: Knex | Knex.Transaction, connectionId: string, productId: number, runKey: string, state: 'done' | 'undone'): Promise<void> {
  await db('ecom_creations').where({ connection_id: connectionId, product_id: productId, run_key: runKey }).update({ state, settled_at: db.fn.now() });
}

export async function dropCreation(db: Knex | Knex.Transaction, connectionId: string, productId: number): Promise<void> {
  await db('ecom_creations').where({ connection_id: connectionId, product_id: productId }).delete();
}

/** Written into the product's free field data01 on create only: how a lost create is found again. */
export const creationMarker = (runKey: string): string => `possync:${runKey}`;
