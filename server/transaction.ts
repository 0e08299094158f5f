import type { Knex } from 'knex';
import type { Db } from '../db/connection';

/** serialization_failure, deadlock_detected: PostgreSQL rolled the transaction back, running it again is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 6;

export function isRetryableConflict(err: unknown): boolean {
  return RETRYABLE.has((err as { code?: string } | null)?.code ?? '');
}

/** How many whole-transaction retries the API made (since start): the health details show it. */
export const transactionRetries = { count: 0 };

/**
 * Runs `fn` in one transaction; when PostgreSQL aborts it as a deadlock or serialization
 * failure, runs the whole transaction again (bounded, with a short random backoff), so such a
 * conflict never reaches a till as a 500. Nothing of a failed attempt stays written.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      if (!isRetryableConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      transactionRetries.count += 1;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
