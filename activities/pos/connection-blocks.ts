import type { Knex } from 'knex';

type Writer = Knex | Knex.Transaction;

/**
 * Issue 7 point 5: a connection whose credentials the shop refuses (401/403) is "blocked": its
 * pushes wait instead of failing one by one, and resume when a probe (or an operator) finds the
 * credentials work again.
 */
export async function blockConnection(db: Writer, connectionId: string, reason: string): Promise<void> {
  await db.raw(
    `INSERT INTO connection_blocks (connection_id, reason, last_probe_at, last_probe_error) VALUES (?, ?, now(), ?)
     ON CONFLICT (connection_id) DO UPDATE SET reason = EXCLUDED.reason, last_probe_at = now(), last_probe_error = EXCLUDED.reason`,
    [connectionId, reason.slice(0, 2000), reason.slice(0, 2000)],
  );
}

export async function recordProbe(db: Writer, connectionId: string, error: string): Promise<void> {
  await db('connection_blocks').where({ connection_id: connectionId }).update({ last_probe_at: db.fn.now(), last_probe_error: error.slice(0, 2000) });
}

/**
 * Lifts the block, and hands every product whose push failed meanwhile on this connection back
 * to the push (the dispatcher signals it): nothing waits for a change that may never come.
 */
export async function unblockConnection(db: Knex, connectionId: string): Promise<{ wasBlocked: boolean; requeued: number }> {
  return db.transaction(async (trx) => {
    const deleted = await trx('connection_blocks').where({ connection_id: connectionId }).delete();
    const rows: { product_id: number }[] = (
      await trx.raw(
        `INSERT INTO push_outbox (product_id, reason)
         SELECT product_id, 'retry' FROM push_failures WHERE connection_id = ? AND will_retry
         RETURNING product_id`,
        [connectionId],
      )
    ).rows;
    return { wasBlocked: deleted > 0, requeued: rows.length };
  });
}

export async function blockedConnections(db: Writer): Promise<{ connection_id: string; blocked_at: Date; reason: string; last_probe_at: Date | null; last_probe_error: string | null }[]> {
  return db('connection_blocks').orderBy('connection_id');
}

export async function isBlocked(db: Writer, connectionId: string): Promise<boolean> {
  return (await db('connection_blocks').where({ connection_id: connectionId }).first('connection_id')) !== undefined;
}

export async function blockReason(db: Writer, connectionId: string): Promise<string | undefined> {
  return (await db('connection_blocks').where({ connection_id: connectionId }).first('reason'))?.reason;
}
