// The backlog in front of a request budget (in memory or shared in PostgreSQL): requests of a
// better priority first (stock before orders before catalog before sync), within a priority first
// come first served. An aborted signal (a cancelled activity) takes its request out.
import type { BudgetLimits, WindowObservation } from './budget-state';

export const PRIORITIES = { stock: 0, orders: 1, catalog: 2, sync: 3 } as const;
export type EcomPriority = keyof typeof PRIORITIES;
const NAMES = Object.keys(PRIORITIES) as EcomPriority[];

export interface BudgetTicket {
  /** The answer (or its absence) of the request this ticket let through. */
  done(observed: WindowObservation[] | undefined, retryAfterMs?: number): void;
}

/** What a client needs of a budget: the process's RequestBudget or the PostgreSQL-shared one. */
export interface EcomBudget {
  readonly limits: BudgetLimits;
  /** Resolves when a request of this priority may be sent; the caller must call done() once. */
  acquire(priority?: EcomPriority, signal?: AbortSignal): Promise<BudgetTicket>;
}

export interface Waiter {
  rank: number;
  /** Set when its signal aborted: it is out of the queue, and a ticket granted meanwhile must be given back. */
  cancelled: boolean;
  grant(ticket: BudgetTicket): void;
  /** The budget cannot decide (e.g. its database is out of reach): the request fails. */
  fail(err: unknown): void;
}

export class PriorityWaiters {
  private list: Waiter[] = [];

  /** Queues a request and calls `queued` (the owner's pump); resolves with the ticket granted to it. */
  wait(priority: EcomPriority, signal: AbortSignal | undefined, queued: () => void): Promise<BudgetTicket> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter: Waiter = {
        rank: PRIORITIES[priority],
        cancelled: false,
        grant: (ticket) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(ticket);
        },
        fail: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = () => {
        waiter.cancelled = true;
        this.remove(waiter);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const at = this.list.findIndex((w) => w.rank > waiter.rank);
      this.list.splice(at < 0 ? this.list.length : at, 0, waiter);
      queued();
    });
  }

  get length(): number {
    return this.list.length;
  }

  /** The waiters in the order they are to be served (a copy). */
  inOrder(): Waiter[] {
    return [...this.list];
  }

  shift(): Waiter | undefined {
    return this.list.shift();
  }

  remove(w: Waiter): boolean {
    const i = this.list.indexOf(w);
    if (i >= 0) this.list.splice(i, 1);
    return i >= 0;
  }

  byPriority(): Record<EcomPriority, number> {
    const counts = { stock: 0, orders: 0, catalog: 0, sync: 0 };
    for (const w of this.list) counts[NAMES[w.rank]!]++;
    return counts;
  }
}

/** One timer that calls `fire` at the earliest time asked for (unref'd: it never keeps a process up). */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;

  constructor(private readonly fire: () => void, private readonly now: () => number) {}

  at(atMs: number): void {
    if (this.timer && this.timerAt <= atMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = atMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, Math.max(0, atMs - this.now()));
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
