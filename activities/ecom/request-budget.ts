// One request budget per eCom shop key in this process, shared by every client and activity: a
// priority queue in front of budget-state.ts. Stock writes (priority 'stock') go before catalog
// edits; within a priority, first come first served.
import crypto from 'node:crypto';
import { type BudgetLimits, type BudgetState, type BudgetView, budgetLimits, decide, emptyBudget, recordAnswer, recordSend, viewBudget } from './budget-state';
import { type BudgetTicket, type EcomBudget, type EcomPriority, PriorityWaiters, WakeTimer } from './budget-waiters';

export { PRIORITIES, type BudgetTicket, type EcomBudget, type EcomPriority } from './budget-waiters';

export class RequestBudget implements EcomBudget {
  readonly limits: BudgetLimits;
  private state: BudgetState = emptyBudget();
  private readonly waiters = new PriorityWaiters();
  private readonly wake: WakeTimer;

  constructor(limits: Partial<BudgetLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = budgetLimits(limits);
    this.wake = new WakeTimer(() => this.pump(), now);
  }

  /**
   * Resolves when a request of this priority may be sent; the caller must call done() once. An
   * aborted signal (a cancelled activity) takes the request out of the backlog.
   */
  acquire(priority: EcomPriority = 'catalog', signal?: AbortSignal): Promise<BudgetTicket> {
    return this.waiters.wait(priority, signal, () => this.pump());
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
        if (d.retryAtMs !== null) this.wake.at(d.retryAtMs);
        return;
      }
      recordSend(this.state, this.limits, now);
      this.waiters.shift()!.grant(this.ticket());
    }
  }

  /** Used/remaining per window, in flight, backlog by priority (tests and benchmarks; `possync budget` reads the shared one). */
  view(): BudgetView & { backlog: Record<EcomPriority, number> } {
    return { ...viewBudget(this.state, this.limits, this.now(), this.waiters.length), backlog: this.waiters.byPriority() };
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
