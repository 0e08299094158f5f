// The eCom request budget as the server enforces it: three windows per key (5 min, hour, day) plus a
// per-second cap. Time runs in "API seconds" so tests can shorten every window with one scale.
import type { RateLimitOptions, WindowMode, WindowUse } from './types';

const WINDOW_SECONDS = [300, 3600, 86400] as const;

export interface LimitVerdict {
  allowed: boolean;
  headers: Record<string, string>;
  /** API seconds, when refused. */
  retryAfter?: number;
}

export class RateLimiter {
  readonly limits: [number, number, number];
  readonly perSecond: number;
  readonly timeScale: number;
  readonly mode: WindowMode;
  /** API-second origin of the fixed windows; 0 = aligned on the epoch like the real clock. */
  private origin = 0;
  private accepted: number[] = []; // API-second timestamps of counted requests (sliding mode and the per-second cap)
  private fixed: { index: number; used: number }[] = WINDOW_SECONDS.map(() => ({ index: -1, used: 0 }));
  private fiveMinute: WindowUse[] = [];
  private peak = 0;

  constructor(opts: RateLimitOptions = {}, private readonly nowMs: () => number = Date.now) {
    this.limits = opts.limits ?? [300, 3000, 12000];
    this.perSecond = opts.perSecond ?? 20;
    this.timeScale = opts.timeScale ?? 1;
    this.mode = opts.mode ?? 'fixed';
    if (this.timeScale !== 1) this.origin = this.apiNow();
  }

  /** Starts every window afresh now (tests and benchmarks). */
  reset(): void {
    this.origin = this.apiNow();
    this.accepted = [];
    this.fixed = WINDOW_SECONDS.map(() => ({ index: -1, used: 0 }));
    this.fiveMinute = [];
    this.peak = 0;
  }

  private apiNow(): number {
    return this.nowMs() / 1000 / this.timeScale;
  }

  /** Counts the request if every window and the per-second cap allow it. */
  take(): LimitVerdict {
    const t = this.apiNow() - this.origin;
    const expired = this.after(t - WINDOW_SECONDS[2]);
    if (expired > 1024) this.accepted = this.accepted.slice(expired);
    const lastSecond = this.countAfter(t - 1);
    const used = WINDOW_SECONDS.map((w, i) => this.usedIn(i, w, t));
    const exhausted = used.map((u, i) => u >= this.limits[i]!);
    const resets = WINDOW_SECONDS.map((w, i) => this.resetIn(w, t, exhausted[i]! ? used[i]! - this.limits[i]! : 0));
    if (exhausted.some(Boolean) || lastSecond >= this.perSecond) {
      const waits = resets.filter((_, i) => exhausted[i]);
      const retryAfter = waits.length ? Math.max(...waits) : 1;
      return { allowed: false, retryAfter, headers: this.headers(used, resets) };
    }
    this.accepted.push(t);
    this.peak = Math.max(this.peak, lastSecond + 1);
    WINDOW_SECONDS.forEach((w, i) => {
      const index = Math.floor(t / w);
      const f = this.fixed[i]!;
      if (f.index !== index) {
        f.index = index;
        f.used = 0;
        if (i === 0) this.fiveMinute.push({ start: index * w, used: 0 });
      }
      f.used++;
      used[i]!++;
    });
    this.fiveMinute[this.fiveMinute.length - 1]!.used++;
    return { allowed: true, headers: this.headers(used, WINDOW_SECONDS.map((w) => this.resetIn(w, t, 0))) };
  }

  /** Index of the first counted request later than `since` (the log is in time order). */
  private after(since: number): number {
    let lo = 0;
    let hi = this.accepted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.accepted[mid]! > since) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private countAfter(since: number): number {
    return this.accepted.length - this.after(since);
  }

  private usedIn(i: number, w: number, t: number): number {
    if (this.mode === 'sliding') return this.countAfter(t - w);
    const f = this.fixed[i]!;
    return f.index === Math.floor(t / w) ? f.used : 0;
  }

  /** Seconds until the window frees room: its end (fixed), or until its oldest counted request leaves (sliding). */
  private resetIn(w: number, t: number, over: number): number {
    if (this.mode === 'fixed') return Math.max(1, Math.ceil(w - (t % w)));
    const first = this.after(t - w);
    const oldest = first < this.accepted.length ? this.accepted[Math.min(first + over, this.accepted.length - 1)] : undefined;
    return oldest === undefined ? w : Math.max(1, Math.ceil(oldest + w - t));
  }

  private headers(used: number[], resets: number[]): Record<string, string> {
    return {
      'X-RateLimit-Limit': this.limits.join('/'),
      'X-RateLimit-Remaining': used.map((u, i) => Math.max(0, this.limits[i]! - u)).join('/'),
      'X-RateLimit-Reset': resets.join('/'),
    };
  }

  usage(): { fiveMinuteWindows: WindowUse[]; peakPerSecond: number } {
    return { fiveMinuteWindows: this.fiveMinute.map((w) => ({ ...w })), peakPerSecond: this.peak };
  }
}
