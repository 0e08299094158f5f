import type { BudgetLimits } from './budget-state';

/** One Lightspeed eCom connection as its activities need it. Secrets stay in this process. */
export interface EcomConnection {
  id: string;
  /** Cluster base, e.g. https://api.webshopapp.com, or the sandbox's URL. */
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The shop language content is read and written in, e.g. 'nl'. */
  language: string;
  /** A sandbox's time-scaled windows; unset for a real shop. */
  budget?: Partial<BudgetLimits>;
}

/** Holds the eCom connections of this process, by id (filled at start and on `connections reload`). */
export class EcomRegistry {
  private readonly connections = new Map<string, EcomConnection>();

  set(c: EcomConnection): void {
    this.connections.set(c.id, c);
  }

  get(id: string): EcomConnection | undefined {
    return this.connections.get(id);
  }

  delete(id: string): void {
    this.connections.delete(id);
  }

  all(): EcomConnection[] {
    return [...this.connections.values()];
  }
}
