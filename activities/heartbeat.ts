import { Context } from '@temporalio/activity';

/** How often a long activity tells Temporal its worker is alive; well under every HEARTBEAT_TIMEOUT below. */
export const HEARTBEAT_EVERY_MS = 2_000;

/**
 * Runs `fn` while heartbeating on a timer, so that a killed worker is noticed after the
 * workflow's heartbeatTimeout (seconds) instead of the start-to-close timeout (minutes), even
 * while one slow request is in flight. A hung request itself is bounded by the client's timeout.
 * Only for activities that resume from nothing (the details sent are empty).
 */
export async function withHeartbeats<T>(fn: () => Promise<T>, everyMs = HEARTBEAT_EVERY_MS): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The same activities, the named ones heartbeating on a timer while they run: for activities
 * whose code does not heartbeat itself, so their workflows can set a heartbeat timeout of seconds.
 */
export function heartbeating<T extends Record<string, (...args: any[]) => Promise<unknown>>>(activities: T, names: readonly (keyof T)[]): T {
  const wrapped: Record<string, unknown> = { ...activities };
  for (const name of names) {
    const fn = activities[name]!;
    wrapped[name as string] = (...args: unknown[]) => withHeartbeats(() => fn(...args));
  }
  return wrapped as T;
}
