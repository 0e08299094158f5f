// Exactly one writer per product per eCom shop, whichever worker runs it: a PostgreSQL advisory
// lock held by a transaction for the whole write. A killed worker's session ends, and so does its lock.
import type { Knex } from 'knex';

export async function withEcomProductLock<T>(db: Knex, connectionId: string, productId: number, fn: () => Promise<T>): Promise<T> {
  return db.transaction(async (lockTrx) => {
    await lockTrx.raw("SELECT pg_advisory_xact_lock(hashtext('ecom-product:' || ?), ?)", [connectionId, productId]);
    // The work writes through the pool, not through lockTrx: every record must be durable at once.
    return fn();
  });
}
