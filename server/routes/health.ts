import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection';
import { DATABASE_RETRY_AFTER_SECONDS } from '../database-errors';
import { transactionRetries } from '../transaction';

export interface HealthDeps {
  db: Db;
  /** Resolves when the Temporal frontend answers (a cheap call with a short deadline). */
  checkTemporal?: () => Promise<unknown>;
}

interface Check {
  ok: boolean;
  error?: string;
}

const CHECK_TIMEOUT_MS = 3000;

async function check(fn: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS); }),
    ]);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness (the process answers: restart it only when this fails), readiness (the database and
 * Temporal answer: send traffic only when this passes) and the details behind them, per
 * connection. A store that is down does not make the POS unready: sales still commit and the
 * pushes wait.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const readiness = async () => {
    const [database, temporal] = await Promise.all([
      check(() => deps.db.raw('SELECT 1')),
      deps.checkTemporal ? check(deps.checkTemporal) : Promise.resolve<Check>({ ok: false, error: 'no Temporal client configured' }),
    ]);
    return { ready: database.ok && temporal.ok, checks: { database, temporal } };
  };

  app.get('/api/health/live', async () => ({ status: 'live' }));

  app.get('/api/health/ready', async (_req, reply) => {
    const r = await readiness();
    if (!r.ready) void reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return { status: r.ready ? 'ready' : 'not_ready', checks: r.checks };
  });

  app.get('/api/health', async (_req, reply) => {
    const r = await readiness();
    if (!r.ready) void reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return {
      status: r.ready ? 'ready' : 'not_ready',
      live: true,
      checks: r.checks,
      connections: r.checks.database.ok ? await connectionDetails(deps.db).catch(() => undefined) : undefined,
      transaction_retries: transactionRetries.count,
    };
  });
}

/** Per store connection: what waits to be pushed, the last push that worked and the last failure. */
async function connectionDetails(db: Db) {
  const rows: {
    id: string; kind: string; active: boolean; queued: string; last_ok_at: Date | null; last_failure_at: Date | null; last_failure: string | null;
  }[] = (
    await db.raw(
      `SELECT c.id, c.kind, c.active,
              (SELECT count(*) FROM batch_push_queue q WHERE q.connection_id = c.id) AS queued,
              (SELECT max(created_at) FROM sync_log s WHERE s.connection_id = c.id AND s.status = 'ok') AS last_ok_at,
              f.created_at AS last_failure_at, f.message AS last_failure
         FROM connections c
         LEFT JOIN LATERAL (SELECT created_at, message FROM sync_log s WHERE s.connection_id = c.id AND s.status = 'failed'
                             ORDER BY id DESC LIMIT 1) f ON true
        ORDER BY c.id`,
    )
  ).rows;
  return rows.map((r) => ({
    id: r.id, kind: r.kind, active: r.active, queued_products: Number(r.queued),
    last_push_ok_at: r.last_ok_at, last_failure_at: r.last_failure_at, last_failure: r.last_failure,
  }));
}
