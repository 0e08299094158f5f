import { Gauge, Registry } from 'prom-client';
import type { Db } from '../../db/connection';

/**
 * Figures the database holds, read when /metrics is scraped: every API process answers the same
 * values (scrape one, or take max() over them), and they stay right however many workers run.
 */
export class DbGauges {
  readonly registry = new Registry();
  private readonly outboxDepth = this.gauge('possync_outbox_depth', 'Committed POS changes not yet handed to a push (push_outbox rows)');
  private readonly outboxOldest = this.gauge('possync_outbox_oldest_seconds', 'Age of the oldest push_outbox row (0 when empty)');
  private readonly queueDepth = this.gauge('possync_batch_queue_depth', 'Products queued for the batched push of a connection', ['connection']);
  private readonly queueOldest = this.gauge('possync_batch_queue_oldest_seconds', 'Age of the oldest entry of a connection\'s batch queue', ['connection']);
  private readonly pendingOldest = this.gauge('possync_push_pending_oldest_seconds', 'Age of the oldest change not yet in every shop (products.push_pending_since; 0 when none)');
  private readonly pendingCount = this.gauge('possync_push_pending_products', 'Products with a change not yet pushed');
  private readonly failures = this.gauge('possync_push_failures', 'Products whose last push to a connection failed (push_failures), by action and whether it is retried', ['connection', 'action', 'retrying']);
  private readonly blocked = this.gauge('possync_connection_blocked', '1 while a connection is blocked because the shop refuses its credentials', ['connection']);
  private readonly importState = this.gauge('possync_import_running', '1 while the latest order import of a connection runs (state label: running, paused, ...)', ['connection', 'state']);
  private readonly importOrders = this.gauge('possync_import_orders', 'Orders of the latest order import of a connection, by outcome', ['connection', 'outcome']);
  private readonly importUnits = this.gauge('possync_import_units_deducted', 'Stock units the latest order import of a connection deducted', ['connection']);

  constructor(private readonly db: Db) {}

  private gauge<L extends string>(name: string, help: string, labelNames: L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  /** Reads everything in one round of queries, then answers the exposition text. */
  async metrics(): Promise<string> {
    const [outbox, queues, pending, failures, blocked, imports] = await Promise.all([
      this.db.raw(`SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age FROM push_outbox`),
      this.db.raw(`SELECT connection_id, count(*)::int AS n, extract(epoch FROM now() - min(queued_at))::float AS age FROM batch_push_queue GROUP BY connection_id`),
      this.db.raw(`SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(push_pending_since)), 0)::float AS age FROM products WHERE push_pending`),
      this.db.raw(`SELECT connection_id, action, will_retry, count(*)::int AS n FROM push_failures GROUP BY 1, 2, 3`),
      this.db.raw(`SELECT connection_id FROM connection_blocks`),
      this.db.raw(`SELECT DISTINCT ON (r.connection_id) r.connection_id, r.state,
                          coalesce(sum(p.orders) OVER w, 0)::int AS orders, coalesce(sum(p.imported) OVER w, 0)::int AS imported,
                          coalesce(sum(p.skipped) OVER w, 0)::int AS skipped, coalesce(sum(p.failed) OVER w, 0)::int AS failed,
                          coalesce(sum(p.deducted) OVER w, 0)::float AS deducted
                     FROM import_runs r LEFT JOIN import_run_pages p ON p.import_run_id = r.id
                    WHERE NOT r.dry_run
                   WINDOW w AS (PARTITION BY r.id)
                    ORDER BY r.connection_id, r.id DESC`),
    ]);
    for (const g of [this.queueDepth, this.queueOldest, this.failures, this.blocked, this.importState, this.importOrders, this.importUnits]) g.reset();
    this.outboxDepth.set(outbox.rows[0].n);
    this.outboxOldest.set(outbox.rows[0].age);
    for (const r of queues.rows) {
      this.queueDepth.set({ connection: r.connection_id }, r.n);
      this.queueOldest.set({ connection: r.connection_id }, r.age);
    }
    this.pendingCount.set(pending.rows[0].n);
    this.pendingOldest.set(pending.rows[0].age);
    for (const r of failures.rows) this.failures.set({ connection: r.connection_id, action: r.action, retrying: String(r.will_retry) }, r.n);
    for (const r of blocked.rows) this.blocked.set({ connection: r.connection_id }, 1);
    for (const r of imports.rows) {
      this.importState.set({ connection: r.connection_id, state: r.state }, r.state === 'running' || r.state === 'paused' ? 1 : 0);
      for (const outcome of ['orders', 'imported', 'skipped', 'failed'] as const) {
        this.importOrders.set({ connection: r.connection_id, outcome }, r[outcome]);
      }
      this.importUnits.set({ connection: r.connection_id }, r.deducted);
    }
    return this.registry.metrics();
  }
}
