// One request budget per eCom shop key in this process, shared by every client and activity: a
// priority queue in front of budget-state.ts. Stock writes (priority 'stock') go before catalog
// edits; within a priority, first come first served.
import crypto from 'node:crypto';
import { type BudgetLimits, type BudgetState, type BudgetView, type WindowObservation, budgetLimits, decide, emptyBudget, recordAnswer, recordSend, viewBudget } from './budget-state';

export const PRIORITIES = { stock: 0, orders: 1, catalog: 2, sync: 3 } as const;
export type EcomPriority = keyof typeof PRIORITIES;

interface Waiter {
  rank: number;
  seq: number;
  resolve: () => void;
}

export interface BudgetTicket {
  /** The answer (or its absence) of the request this ticket let through. */
  done(observed: WindowObservation[] | undefined, retryAfterMs?: number): void;
}

export class RequestBudget {
  readonly limits: BudgetLimits;
  private state: BudgetState = emptyBudget();
  private waiters: Waiter[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;

  constructor(limits: Partial<BudgetLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = budgetLimits(limits);
  }

  /**
   * Resolves when a request of this priority may be sent; the caller must call done() once. An
   * aborted signal (a cancelled activity) takes the request out of the backlog.
   */
  acquire(priority: EcomPriority = 'catalog', signal?: AbortSignal): Promise<BudgetTicket> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const waiter: Waiter = {
        rank: PRIORITIES[priority],
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.ticket());
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const at = this.waiters.findIndex((w) => w.rank > waiter.rank);
      this.waiters.splice(at < 0 ? this.waiters.length : at, 0, waiter);
      this.pump();
    });
  }

  private ticket(): BudgetTicket {
    let settled = false;
    return {
      done: (observed, retryAfterMs) => {
        if (settled) return;
        settled = true;
        recordAnswer(this.state, this.limits, this.now(), observed, retryAfterMs);
        this.pump();
      },
    };
  }

  private pump(): void {
    while (this.waiters.length) {
      const now = this.now();
      const d = decide(this.state, this.limits, now);
      if (!d.send) {
        if (d.retryAtMs !== null) this.wakeAt(d.retryAtMs);
        return;
      }
      recordSend(this.state, this.limits, now);
      this.waiters.shift()!.resolve();
    }
  }

  private wakeAt(atMs: number): void {
    if (this.timer && this.timerAt <= atMs) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = atMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, atMs - this.now()));
    this.timer.unref();
  }

  /** Used/remaining per window, in flight, backlog by priority (for `possync budget` later). */
  view(): BudgetView & { backlog: Record<EcomPriority, number> } {
    const backlog = { stock: 0, orders: 0, catalog: 0, sync: 0 };
    const names = Object.keys(PRIORITIES) as EcomPriority[];
    for (const w of this.waiters) backlog[names[w.rank]!]++;
    return { ...viewBudget(this.state, this.limits, this.now(), this.waiters.length), backlog };
  }
}

const budgets = new Map<string, RequestBudget>();

/** The budget's identity: the API host and a hash of the key (never the key or the secret itself). */
export function budgetKey(baseUrl: string, apiKey: string): string {
  return `${new URL(baseUrl).host}#${crypto.createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

/** The process-wide budget of a shop key; the first caller's limits are kept. */
export function budgetFor(baseUrl: string, apiKey: string, limits: Partial<BudgetLimits> = {}): RequestBudget {
  const key = budgetKey(baseUrl, apiKey);
  let b = budgets.get(key);
  if (!b) {
    b = new RequestBudget(limits);
    budgets.set(key, b);
  }
  return b;
}
