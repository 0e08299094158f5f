import type { Knex } from 'knex';
import type { ConnectionCheckReport } from '../../workflows/contracts/connections';
import type { WebhookHealthReport } from '../../workflows/contracts/webhook-health';

type Writer = Knex | Knex.Transaction;

/** Keeps the last check of a connection: when it last passed, and how many failed since. */
export async function recordConnectionCheck(db: Writer, r: ConnectionCheckReport): Promise<void> {
  await db.raw(
    `INSERT INTO connection_checks (connection_id, checked_at, ok, problem, report, last_ok_at, failures_in_a_row)
     VALUES (?, now(), ?, ?, ?::jsonb, CASE WHEN ? THEN now() END, CASE WHEN ? THEN 0 ELSE 1 END)
     ON CONFLICT (connection_id) DO UPDATE SET checked_at = now(), ok = EXCLUDED.ok, problem = EXCLUDED.problem, report = EXCLUDED.report,
       last_ok_at = COALESCE(EXCLUDED.last_ok_at, connection_checks.last_ok_at),
       failures_in_a_row = CASE WHEN EXCLUDED.ok THEN 0 ELSE connection_checks.failures_in_a_row + 1 END`,
    [r.connectionId, r.ok, r.problem ?? null, JSON.stringify(r.steps), r.ok, r.ok],
  );
}

/** The outcome of a webhook-health run, in words, for `possync connections`. */
export async function recordWebhookState(db: Writer, r: WebhookHealthReport): Promise<void> {
  const parts = [
    r.healthy.length ? `${r.healthy.length} healthy` : '',
    r.created.length ? `${r.created.length} created` : '',
    r.repaired.length ? `${r.repaired.length} repaired (${r.repaired.flatMap((x) => x.reasons).join(', ')})` : '',
    r.removed.length ? `${r.removed.length} duplicates removed` : '',
  ].filter(Boolean);
  const state = `${r.healthy.length + r.created.length + r.repaired.length} active: ${parts.join(', ') || 'none'}`;
  await db.raw(
    // Only for a connection the database knows (a worker may serve a store configured by WOO_* alone).
    `INSERT INTO connection_webhook_states (connection_id, checked_at, state) SELECT id, now(), ? FROM connections WHERE id = ?
     ON CONFLICT (connection_id) DO UPDATE SET checked_at = now(), state = EXCLUDED.state`,
    [state, r.connectionId],
  );
}

export interface ConnectionHealth {
  id: string;
  kind: string;
  name: string;
  url: string;
  active: boolean;
  sandbox: boolean;
  registerId: number;
  lastCheck?: { at: string; ok: boolean; problem?: string; failuresInARow: number };
  /** The last call to the shop that worked: a passed check or a product pushed. */
  lastSuccessAt?: string;
  /** Products whose push is failing on this connection now. */
  failingProducts: number;
  blocked?: { since: string; reason: string };
  webhooks?: { at: string; state: string };
}

const iso = (d: Date | null | undefined): string | undefined => (d ? new Date(d).toISOString() : undefined);

export async function connectionHealth(db: Writer): Promise<ConnectionHealth[]> {
  const rows = await db('connections as c')
    .leftJoin('connection_checks as k', 'k.connection_id', 'c.id')
    .leftJoin('connection_blocks as b', 'b.connection_id', 'c.id')
    .leftJoin('connection_webhook_states as w', 'w.connection_id', 'c.id')
    .select(
      'c.id', 'c.kind', 'c.name', 'c.base_url', 'c.active', 'c.settings', 'c.register_id',
      'k.checked_at', 'k.ok', 'k.problem', 'k.last_ok_at', 'k.failures_in_a_row',
      'b.blocked_at', 'b.reason as blocked_reason', 'w.checked_at as webhooks_at', 'w.state as webhooks_state',
      db.raw(`(SELECT max(pushed_at) FROM product_links l WHERE l.connection_id = c.id) AS last_push`),
      db.raw(`(SELECT count(*)::int FROM push_failures f WHERE f.connection_id = c.id) AS failing`),
    )
    .orderBy([{ column: 'c.active', order: 'desc' }, { column: 'c.id' }]);
  return rows.map((r: any) => {
    const okTimes = [r.last_ok_at, r.last_push].filter(Boolean).map((d: Date) => new Date(d).getTime());
    return {
      id: r.id, kind: r.kind, name: r.name, url: r.base_url, active: r.active, sandbox: r.settings?.sandbox === true, registerId: r.register_id,
      lastCheck: r.checked_at ? { at: iso(r.checked_at)!, ok: r.ok, problem: r.problem ?? undefined, failuresInARow: r.failures_in_a_row } : undefined,
      lastSuccessAt: okTimes.length ? new Date(Math.max(...okTimes)).toISOString() : undefined,
      failingProducts: r.failing,
      blocked: r.blocked_at ? { since: iso(r.blocked_at)!, reason: r.blocked_reason } : undefined,
      webhooks: r.webhooks_at ? { at: iso(r.webhooks_at)!, state: r.webhooks_state } : undefined,
    };
  });
}
