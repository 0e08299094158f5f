// The request budget of one eCom shop key as plain data and pure functions, so the same state can
// live in memory (request-budget.ts) or, later, in a PostgreSQL row shared by several workers.
//
// What we know comes from the X-RateLimit-* slash triples of the latest answers; what we do not know
// yet (requests in flight) is subtracted. When a window's reset time has passed we cannot tell how
// much came back (fixed windows refill, sliding ones free a few slots), so one request goes alone
// and its answer tells. The per-second cap has no header. The server counts a request when it
// processes it, somewhere between our send and our receipt of the answer; so a request holds a
// per-second slot while in flight and for one second after its answer. That bound holds whatever the
// network or a stalled event loop does to the timing, which a log of send times does not.
//
// Kept in PostgreSQL for several workers by shared-budget.ts: one row per budget key holding this
// state as jsonb, `inFlight` counted from leases (id, expiry) so a killed worker's slot comes back.

export interface WindowObservation {
  limit: number;
  remaining: number;
  /** Epoch ms when this window frees room (the answer's receipt + its reset seconds). */
  resetAtMs: number;
}

export interface BudgetState {
  /** Latest trusted observation of the three windows (5 min / hour / day); null before any answer. */
  windows: WindowObservation[] | null;
  inFlight: number;
  /** Epoch ms of recent answers (per-second cap). */
  answered: number[];
  /** Nothing is sent before this (a 429's Retry-After). */
  blockedUntilMs: number;
  /** Counters for `possync budget` and benchmarks. */
  sent: number;
  rateLimited: number;
}

export interface BudgetLimits {
  /** Requests per API second. Default 20. */
  perSecond: number;
  /** Real seconds per API second (the sandbox's time scale). Default 1. */
  timeScale: number;
  /** Added to the per-second span, against timer granularity. */
  perSecondGuardMs: number;
  /** Requests kept unused in each window (for an operator's manual calls). Default 0. */
  reserve: number;
  maxInFlight: number;
}

export type BudgetDecision = { send: true } | { send: false; retryAtMs: number | null };

export function emptyBudget(): BudgetState {
  return { windows: null, inFlight: 0, answered: [], blockedUntilMs: 0, sent: 0, rateLimited: 0 };
}

export function budgetLimits(partial: Partial<BudgetLimits> = {}): BudgetLimits {
  const timeScale = partial.timeScale ?? 1;
  return {
    perSecond: partial.perSecond ?? 20,
    timeScale,
    perSecondGuardMs: partial.perSecondGuardMs ?? Math.max(2, 50 * timeScale),
    reserve: partial.reserve ?? 0,
    maxInFlight: partial.maxInFlight ?? 8,
  };
}

function secondMs(l: BudgetLimits): number {
  return 1000 * l.timeScale + l.perSecondGuardMs;
}

/** May a request go now? If not: when to look again (null = when an answer arrives). */
export function decide(s: BudgetState, l: BudgetLimits, nowMs: number): BudgetDecision {
  if (nowMs < s.blockedUntilMs) return { send: false, retryAtMs: s.blockedUntilMs };
  if (s.inFlight >= l.maxInFlight) return { send: false, retryAtMs: null };
  const recent = s.answered.filter((t) => t > nowMs - secondMs(l));
  const busy = recent.length + s.inFlight;
  if (busy >= l.perSecond) {
    // The slot that frees first: an answered request ageing out, unless in-flight ones fill the cap.
    const ageing = recent[busy - l.perSecond];
    return { send: false, retryAtMs: s.inFlight >= l.perSecond || ageing === undefined ? null : ageing + secondMs(l) };
  }
  if (s.windows === null) return s.inFlight === 0 ? { send: true } : { send: false, retryAtMs: null };
  let waitUntil = 0;
  for (const w of s.windows) {
    if (nowMs >= w.resetAtMs) {
      if (s.inFlight > 0) return { send: false, retryAtMs: null }; // a lone request will tell what came back
      continue;
    }
    if (w.remaining - s.inFlight <= l.reserve) waitUntil = Math.max(waitUntil, w.resetAtMs);
  }
  if (waitUntil > 0) return { send: false, retryAtMs: s.inFlight > 0 ? null : waitUntil };
  return { send: true };
}

export function recordSend(s: BudgetState, l: BudgetLimits, nowMs: number): void {
  s.inFlight++;
  s.sent++;
}

/** Parses the three X-RateLimit-* triples; undefined when absent or malformed. */
export function parseRateLimitHeaders(headers: Record<string, string | undefined>, receivedAtMs: number, timeScale: number): WindowObservation[] | undefined {
  const split = (name: string) => headers[name]?.split('/').map((x) => Number(x.trim()));
  const limit = split('x-ratelimit-limit');
  const remaining = split('x-ratelimit-remaining');
  const reset = split('x-ratelimit-reset');
  if (!limit || !remaining || !reset || limit.length !== remaining.length || limit.length !== reset.length) return undefined;
  if ([...limit, ...remaining, ...reset].some((n) => !Number.isFinite(n))) return undefined;
  return limit.map((lim, i) => ({ limit: lim, remaining: remaining[i]!, resetAtMs: receivedAtMs + reset[i]! * 1000 * timeScale }));
}

/**
 * An answer (or a failure without one) arrived. An older observation that came back late (higher
 * remaining within the same window) is ignored; a later window, or fewer remaining, replaces it.
 */
export function recordAnswer(s: BudgetState, l: BudgetLimits, nowMs: number, observed: WindowObservation[] | undefined, retryAfterMs?: number): void {
  s.inFlight = Math.max(0, s.inFlight - 1);
  s.answered = s.answered.filter((t) => t > nowMs - secondMs(l));
  s.answered.push(nowMs);
  if (retryAfterMs !== undefined) {
    s.rateLimited++;
    s.blockedUntilMs = Math.max(s.blockedUntilMs, nowMs + retryAfterMs);
  }
  if (!observed) return;
  if (!s.windows || s.windows.length !== observed.length) {
    s.windows = observed;
    return;
  }
  const sameWindowSlack = 1500 * l.timeScale;
  s.windows = s.windows.map((cur, i) => {
    const next = observed[i]!;
    const newWindow = next.resetAtMs > cur.resetAtMs + sameWindowSlack || nowMs >= cur.resetAtMs;
    return newWindow || next.remaining <= cur.remaining ? next : cur;
  });
}

export interface BudgetView {
  windows: { limit: number; remaining: number; resetInMs: number }[];
  inFlight: number;
  sent: number;
  rateLimited: number;
  /** How long `backlog` requests take at the windows' pace (fixed windows assumed); 0 without a backlog. */
  drainEstimateMs: number;
}

/** The windows' lengths in API seconds, in header order. */
export const WINDOW_SECONDS = [300, 3600, 86400] as const;

/** The API's limits of the three windows, in header order, for a key whose answers we have not seen yet. */
export const NOMINAL_WINDOW_LIMITS = [300, 3000, 12000] as const;

/**
 * The windows as they stand now: one whose reset has passed is full again (fixed windows assumed);
 * before any answer, the nominal limits, full.
 */
function currentWindows(s: BudgetState, l: BudgetLimits, nowMs: number): WindowObservation[] {
  const lengthMs = (i: number) => (WINDOW_SECONDS[i] ?? 0) * 1000 * l.timeScale;
  if (!s.windows) return NOMINAL_WINDOW_LIMITS.map((limit, i) => ({ limit, remaining: limit, resetAtMs: nowMs + lengthMs(i) }));
  return s.windows.map((w, i) => {
    if (nowMs < w.resetAtMs || lengthMs(i) <= 0) return w;
    const passed = Math.floor((nowMs - w.resetAtMs) / lengthMs(i)) + 1;
    return { limit: w.limit, remaining: w.limit, resetAtMs: w.resetAtMs + passed * lengthMs(i) };
  });
}

function drainEstimate(s: BudgetState, l: BudgetLimits, nowMs: number, backlog: number): number {
  if (backlog === 0) return 0;
  let estimate = (backlog / l.perSecond) * 1000 * l.timeScale;
  currentWindows(s, l, nowMs).forEach((w, i) => {
    const over = backlog - Math.max(0, w.remaining - s.inFlight);
    if (over <= 0 || w.limit <= 0) return;
    const lengthMs = (WINDOW_SECONDS[i] ?? 0) * 1000 * l.timeScale;
    estimate = Math.max(estimate, Math.max(0, w.resetAtMs - nowMs) + (Math.ceil(over / w.limit) - 1) * lengthMs);
  });
  return Math.round(estimate);
}

export function viewBudget(s: BudgetState, l: BudgetLimits, nowMs: number, backlog = 0): BudgetView {
  return {
    windows: (s.windows ?? []).map((w) => ({ limit: w.limit, remaining: w.remaining, resetInMs: Math.max(0, w.resetAtMs - nowMs) })),
    inFlight: s.inFlight,
    sent: s.sent,
    rateLimited: s.rateLimited,
    drainEstimateMs: drainEstimate(s, l, nowMs, backlog),
  };
}
