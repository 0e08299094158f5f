// Injected failures for the eCom sandbox: deterministic rules first, then random 5xx (nothing
// applied) and lost answers (the write applied, the answer a 500).
import type { FaultOptions, FaultRule } from './types';

export type EcomFault = { kind: 'none' } | { kind: 'answer'; applyFirst: boolean; status: number; body?: unknown; retryAfterSeconds?: number };

const DEFAULTS: FaultOptions = { serverErrorRate: 0, lostResponseRate: 0, rules: [] };
const WRITES = new Set(['POST', 'PUT', 'DELETE']);

export class EcomFaults {
  private options: FaultOptions = { ...DEFAULTS };
  private remaining = new Map<FaultRule, number>();

  constructor(private readonly random: () => number = Math.random) {}

  set(partial: Partial<FaultOptions>): void {
    this.options = { ...this.options, ...partial };
    if (partial.rules) this.remaining = new Map(partial.rules.map((r) => [r, r.times ?? Infinity]));
  }

  reset(): void {
    this.options = { ...DEFAULTS };
    this.remaining.clear();
  }

  decide(method: string, path: string): EcomFault {
    for (const rule of this.options.rules) {
      const left = this.remaining.get(rule) ?? 0;
      if (left <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (typeof rule.path === 'string' ? rule.path !== path : !rule.path.test(path)) continue;
      this.remaining.set(rule, left - 1);
      return { kind: 'answer', applyFirst: !!rule.applyFirst, status: rule.status, body: rule.body, retryAfterSeconds: rule.retryAfterSeconds };
    }
    if (this.options.serverErrorRate > 0 && this.random() < this.options.serverErrorRate) {
      return { kind: 'answer', applyFirst: false, status: [500, 502, 503][Math.floor(this.random() * 3)] ?? 500 };
    }
    if (this.options.lostResponseRate > 0 && WRITES.has(method) && this.random() < this.options.lostResponseRate) {
      return { kind: 'answer', applyFirst: true, status: 500 };
    }
    return { kind: 'none' };
  }
}
