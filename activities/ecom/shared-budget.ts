// The request budget of one eCom shop key kept in PostgreSQL (migration 025), so every worker
// process spends the same budget. The row holds budget-state.ts's state as jsonb plus:
//   - leases: one per request in flight (id, expiry). A worker killed mid-request never drops its
//     lease; once it expires the slot comes back, and the request is counted as used in every
//     window (it may have reached the shop);
//   - waiting: the best priority each process has queued (until a deadline it renews), so a process
//     holding only catalog edits lets another process's stock writes go first.
// Each process runs one loop over the row: a short `SELECT … FOR UPDATE` transaction records the
// answers received since the last one (recordAnswer(), lease dropped) and grants as many of its
// waiters as decide() allows (recordSend(), lease added).
// A process whose waiters cannot go yet looks again at the time decide() names, or after `pollMs`
// when it waits for answers that other processes receive.
import crypto from 'node:crypto';
import type { Db } from '../../db/connection';
import { type BudgetLimits, type BudgetState, type WindowObservation, budgetLimits, decide, emptyBudget, recordAnswer, recordSend } from './budget-state';
import { type BudgetTicket, type EcomBudget, type EcomPriority, PriorityWaiters, type Waiter, WakeTimer } from './budget-waiters';
import { budgetKey } from './request-budget';

export interface BudgetLease {
  id: string;
  expiresAtMs: number;
}

export interface SharedBudgetState extends BudgetState {
  leases: BudgetLease[];
  /** Per process (holder id): the best priority rank it waits with, and until when that claim holds. */
  waiting: Record<string, { rank: number; untilMs: number }>;
}

export interface SharedBudgetOptions {
  /** The connection that spends this budget (for `possync budget`). */
  connectionId?: string;
  /** How long a request may hold its slot without an answer; longer than the client's timeout. Default 120 s. */
  leaseMs?: number;
  /** How often a process waiting on other processes' answers looks again. Default 50 API ms, at least 5 ms. */
  pollMs?: number;
  now?: () => number;
  /** Where a failed answer transaction is told (the lease then expires). Default console.warn. */
  warn?: (message: string, err: unknown) => void;
}

/** The row's state as stored (older or partial rows get defaults); expired leases and claims dropped. */
export function loadSharedState(raw: unknown, nowMs: number): SharedBudgetState {
  const r = (raw ?? {}) as Partial<SharedBudgetState>;
  const s: SharedBudgetState = { ...emptyBudget(), ...r, leases: r.leases ?? [], waiting: r.waiting ?? {} };
  const expired = s.leases.filter((l) => l.expiresAtMs <= nowMs).length;
  if (expired > 0) {
    s.leases = s.leases.filter((l) => l.expiresAtMs > nowMs);
    // Unanswered requests may have been counted by the shop: take them off what is left.
    s.windows = s.windows?.map((w) => (nowMs < w.resetAtMs ? { ...w, remaining: Math.max(0, w.remaining - expired) } : w)) ?? null;
  }
  s.waiting = Object.fromEntries(Object.entries(s.waiting).filter(([, w]) => w.untilMs > nowMs));
  s.inFlight = s.leases.length;
  return s;
}

export class SharedRequestBudget implements EcomBudget {
  readonly limits: BudgetLimits;
  /** This process's name in the row's `waiting` claims. */
  private readonly holder = crypto.randomUUID();
  private readonly waiters = new PriorityWaiters();
  private readonly wake: WakeTimer;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  /** How long a process's priority claim outlives its last renewal (a killed process's claim lapses then). */
  private readonly claimMs: number;
  private readonly warn: (message: string, err: unknown) => void;
  private rowReady: Promise<void> | undefined;
  private pumping = false;
  private pumpAgain = false;
  /** Answers and given-back slots reported since the last turn. */
  private pending: { apply: (s: SharedBudgetState, nowMs: number) => void; settle: (err?: unknown) => void }[] = [];
  private readonly answering = new Set<Promise<void>>();

  constructor(private readonly db: Db, readonly key: string, limits: Partial<BudgetLimits> = {}, private readonly options: SharedBudgetOptions = {}) {
    this.limits = budgetLimits(limits);
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? Math.max(5, 50 * this.limits.timeScale);
    this.claimMs = Math.max(250, 20 * this.pollMs);
    this.warn = options.warn ?? ((message, err) => console.warn(message, err));
    this.wake = new WakeTimer(() => this.pump(), this.now);
  }

  acquire(priority: EcomPriority = 'catalog', signal?: AbortSignal): Promise<BudgetTicket> {
    return this.waiters.wait(priority, signal, () => this.pump());
  }

  /** Requests of this process waiting for the budget, by priority. */
  backlog(): Record<EcomPriority, number> {
    return this.waiters.byPriority();
  }

  /** Resolves when every answer reported so far is written to the row (tests, benchmarks, shutdown). */
  async settled(): Promise<void> {
    while (this.answering.size) await Promise.allSettled([...this.answering]);
  }

  /** The row as it stands (expired leases and claims left out). */
  async read(): Promise<SharedBudgetState> {
    await this.ensureRow();
    const row = await this.db('ecom_budgets').where({ budget_key: this.key }).first('state');
    return loadSharedState(row?.state, this.now());
  }

  private ensureRow(): Promise<void> {
    this.rowReady ??= (async () => {
      await this.db.raw('INSERT INTO ecom_budgets (budget_key, state, limits) VALUES (?, ?, ?) ON CONFLICT (budget_key) DO NOTHING', [this.key, JSON.stringify(emptyBudget()), JSON.stringify(this.limits)]);
      if (this.options.connectionId) {
        await this.db.raw(
          'INSERT INTO ecom_budget_connections (connection_id, budget_key) VALUES (?, ?) ON CONFLICT (connection_id) DO UPDATE SET budget_key = EXCLUDED.budget_key',
          [this.options.connectionId, this.key],
        );
      }
    })().catch((err) => {
      this.rowReady = undefined;
      throw err;
    });
    return this.rowReady;
  }

  /**
   * One transaction on the locked row: writes back what fn leaves there. The budget state is soft
   * (re-learnt from the next answer, leases expire), so its commits do not wait for the WAL flush.
   */
  private async locked<T>(fn: (s: SharedBudgetState, nowMs: number) => T): Promise<T> {
    await this.ensureRow();
    return this.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL synchronous_commit = off');
      const row = await trx('ecom_budgets').where({ budget_key: this.key }).forUpdate().first('state');
      const nowMs = this.now(); // after the lock: the times written are when the decision was made
      const s = loadSharedState(row?.state, nowMs);
      const out = fn(s, nowMs);
      s.inFlight = s.leases.length;
      await trx('ecom_budgets').where({ budget_key: this.key }).update({ state: JSON.stringify(s), limits: JSON.stringify(this.limits), updated_at: trx.fn.now() });
      return out;
    });
  }

  /**
   * This process's one loop over the row: each turn is one transaction that records the answers
   * reported since the last turn and grants the waiters the budget now allows. Answers and grants
   * of this process therefore never race each other, and a busy process batches them.
   */
  private pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.turns().finally(() => {
      this.pumping = false;
      if (this.pumpAgain || this.pending.length) this.pump();
    });
  }

  private async turns(): Promise<void> {
    do {
      this.pumpAgain = false;
      const reports = this.pending.splice(0);
      if (reports.length === 0 && this.waiters.length === 0) return;
      const queue = this.waiters.inOrder();
      const granted: { waiter: Waiter; leaseId: string }[] = [];
      let nextLook: number | null = null;
      try {
        nextLook = await this.locked((s, nowMs) => {
          for (const r of reports) r.apply(s, nowMs);
          return this.grantInto(s, nowMs, queue, granted);
        });
        for (const r of reports) r.settle();
      } catch (err) {
        for (const r of reports) r.settle(err);
        // The database is out of reach: the waiting requests fail (their activities retry); reported answers leave their leases to expire.
        for (const w of queue) {
          if (this.waiters.remove(w)) w.fail(err);
        }
        continue;
      }
      for (const { waiter, leaseId } of granted) {
        if (waiter.cancelled) this.report((s) => this.dropLease(s, leaseId, true));
        else {
          this.waiters.remove(waiter);
          waiter.grant(this.ticket(leaseId));
        }
      }
      if (this.waiters.length) this.wake.at(nextLook ?? this.now() + this.pollMs);
    } while (this.pumpAgain || this.pending.length);
  }

  /** Grants the queue in order while the budget and the other processes' claims allow; returns when to look again. */
  private grantInto(s: SharedBudgetState, nowMs: number, queue: Waiter[], granted: { waiter: Waiter; leaseId: string }[]): number | null {
    let retryAtMs: number | null = null;
    for (const waiter of queue) {
      if (waiter.cancelled) continue;
      const outranked = Object.entries(s.waiting).some(([holder, w]) => holder !== this.holder && w.rank < waiter.rank);
      if (outranked) {
        retryAtMs = nowMs + this.pollMs;
        break;
      }
      const d = decide(s, this.limits, nowMs);
      if (!d.send) {
        retryAtMs = d.retryAtMs ?? nowMs + this.pollMs;
        break;
      }
      recordSend(s, this.limits, nowMs);
      const leaseId = crypto.randomUUID();
      s.leases.push({ id: leaseId, expiresAtMs: nowMs + this.leaseMs });
      s.inFlight = s.leases.length;
      granted.push({ waiter, leaseId });
    }
    const next = queue.find((w) => !w.cancelled && !granted.some((g) => g.waiter === w));
    // Which priority this process waits with, until a while after it looks again; or that it waits for nothing.
    if (next) s.waiting[this.holder] = { rank: next.rank, untilMs: Math.max(retryAtMs ?? nowMs, nowMs + this.pollMs) + this.claimMs };
    else delete s.waiting[this.holder];
    return retryAtMs;
  }

  private ticket(leaseId: string): BudgetTicket {
    let settled = false;
    return {
      done: (observed, retryAfterMs) => {
        if (settled) return;
        settled = true;
        this.report((s, nowMs) => {
          this.dropLease(s, leaseId, false);
          s.inFlight = s.leases.length + 1; // this request, whether or not its lease had expired
          recordAnswer(s, this.limits, nowMs, observed, retryAfterMs);
        });
      },
    };
  }

  /** A lease ends: answered, or given back by a request cancelled before it was sent (then it was not sent). */
  private dropLease(s: SharedBudgetState, leaseId: string, unsent: boolean): void {
    const before = s.leases.length;
    s.leases = s.leases.filter((l) => l.id !== leaseId);
    if (unsent && s.leases.length < before) s.sent = Math.max(0, s.sent - 1);
  }

  /** Queues a change of the row for the next turn; settled() waits for it. */
  private report(apply: (s: SharedBudgetState, nowMs: number) => void): void {
    let settle!: (err?: unknown) => void;
    const written = new Promise<void>((resolve) => {
      settle = (err) => {
        if (err) this.warn(`eCom budget ${this.key}: an answer was not recorded (its lease expires instead)`, err);
        resolve();
      };
    });
    this.answering.add(written);
    void written.then(() => this.answering.delete(written));
    this.pending.push({ apply, settle });
    this.pump();
  }
}

const shared = new WeakMap<Db, Map<string, SharedRequestBudget>>();

/**
 * The budget of a shop key shared through PostgreSQL by every process, one instance per database
 * and key in this process (so its priority queue covers every client here). The first caller's
 * limits and options are kept.
 */
export function sharedBudgetFor(db: Db, baseUrl: string, apiKey: string, limits: Partial<BudgetLimits> = {}, options: SharedBudgetOptions = {}): SharedRequestBudget {
  const key = budgetKey(baseUrl, apiKey);
  let byKey = shared.get(db);
  if (!byKey) shared.set(db, (byKey = new Map()));
  let b = byKey.get(key);
  if (!b) byKey.set(key, (b = new SharedRequestBudget(db, key, limits, options)));
  return b;
}
