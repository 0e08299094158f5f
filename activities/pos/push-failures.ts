import type { Knex } from 'knex';

type Writer = Knex | Knex.Transaction;

export interface PushFailure {
  connectionId: string;
  productId: number;
  action: string;
  message: string;
  /** False for a business refusal (a 4xx that will not change): only a new change or `possync retry` pushes again. */
  willRetry: boolean;
}

/**
 * Issue 7 point 12: one row per (connection, product) whose push is failing, upserted on every
 * failed attempt (the attempt count and the last error move, "since when" stays) and removed
 * by the next successful push. Best effort: during a database outage the attempt is not counted.
 */
export async function recordPushFailures(db: Writer, failures: PushFailure[]): Promise<void> {
  if (failures.length === 0) return;
  await db.raw(
    `INSERT INTO push_failures (connection_id, product_id, action, last_error, will_retry)
     SELECT x.connection_id, x.product_id, x.action, x.last_error, x.will_retry
       FROM jsonb_to_recordset(?::jsonb) AS x(connection_id text, product_id int, action text, last_error text, will_retry boolean)
      WHERE EXISTS (SELECT 1 FROM products p WHERE p.id = x.product_id)
     ON CONFLICT (connection_id, product_id) DO UPDATE
        SET action = EXCLUDED.action, last_error = EXCLUDED.last_error, will_retry = EXCLUDED.will_retry,
            attempts = push_failures.attempts + 1, last_failed_at = now()`,
    [JSON.stringify(dedupe(failures).map((f) => ({
      connection_id: f.connectionId, product_id: f.productId, action: f.action, last_error: f.message.slice(0, 2000), will_retry: f.willRetry,
    })))],
  );
}

export async function clearPushFailures(db: Writer, connectionId: string, productIds: number[]): Promise<void> {
  if (productIds.length === 0) return;
  await db('push_failures').where({ connection_id: connectionId }).whereIn('product_id', productIds).delete();
}

/** Records without letting a second failure (the database is down too) hide the first. */
export async function tryRecordPushFailures(db: Writer, failures: PushFailure[]): Promise<void> {
  try {
    await recordPushFailures(db, failures);
  } catch {
    // The activity's own error is what Temporal must see; the count resumes with the database.
  }
}

function dedupe(failures: PushFailure[]): PushFailure[] {
  const byKey = new Map<string, PushFailure>();
  for (const f of failures) byKey.set(`${f.connectionId}/${f.productId}`, f);
  return [...byKey.values()];
}

export interface PushFailureRow {
  connection_id: string;
  product_id: number;
  sku: string;
  action: string;
  first_failed_at: Date;
  last_failed_at: Date;
  attempts: number;
  last_error: string;
  will_retry: boolean;
  connection_blocked: boolean;
}

/** Failing pushes to active connections: a deactivated connection (issue 9) takes no pushes, so its rows are history. */
export async function listPushFailures(db: Writer, filter: { productId?: number; connectionId?: string; limit?: number } = {}): Promise<PushFailureRow[]> {
  const q = db('push_failures as f')
    .join('products as p', 'p.id', 'f.product_id')
    .join('connections as c', function active() {
      this.on('c.id', '=', 'f.connection_id').andOn('c.active', '=', db.raw('true'));
    })
    .leftJoin('connection_blocks as b', 'b.connection_id', 'f.connection_id')
    .select('f.*', 'p.sku', db.raw('(b.connection_id IS NOT NULL) AS connection_blocked'))
    .orderBy('f.first_failed_at')
    .limit(filter.limit ?? 500);
  if (filter.productId !== undefined) q.where('f.product_id', filter.productId);
  if (filter.connectionId !== undefined) q.where('f.connection_id', filter.connectionId);
  return q;
}

/** How long ago a product's failing pushes to a connection began (ms, the database's clock), if they are failing. */
export async function failingForMs(db: Writer, connectionId: string, productId: number): Promise<number | undefined> {
  const row = await db('push_failures')
    .where({ connection_id: connectionId, product_id: productId })
    .first(db.raw('(extract(epoch FROM now() - first_failed_at) * 1000)::float AS age_ms'));
  return row?.age_ms ?? undefined;
}
