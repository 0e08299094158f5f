import { Context } from '@temporalio/activity';

/**
 * Runs `work` while heartbeating every few seconds, so a worker that dies in the middle of a
 * long statement is noticed within the heartbeat timeout, not the start-to-close timeout
 * (issue 7.9). `details()` is sent with each beat; a retry reads the last one back.
 */
export async function whileHeartbeating<T>(work: () => Promise<T>, details: () => unknown = () => undefined): Promise<T> {
  const ctx = Context.current();
  const everyMs = Math.max(500, Math.min(5_000, (ctx.info.heartbeatTimeoutMs ?? 15_000) / 3));
  ctx.heartbeat(details());
  const timer = setInterval(() => ctx.heartbeat(details()), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The details the previous attempt sent last, when they have the expected shape. */
export function resumeDetails<T>(valid: (d: unknown) => d is T): T | undefined {
  const d: unknown = Context.current().info.heartbeatDetails;
  return valid(d) ? d : undefined;
}
