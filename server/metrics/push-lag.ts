import { pushLagSeconds } from './process-metrics';

/**
 * The commit times a push carries, in this process's clock: the database measures each change's
 * age (no clock skew between it and the worker), the worker adds the time since.
 */
export function commitTimes(agesMs: Map<number, number>, measuredAt = Date.now()): Map<number, number> {
  return new Map([...agesMs].map(([id, age]) => [id, measuredAt - age]));
}

/** Called once the shop acknowledged a push: one sample per product whose commit time is known. */
export function observePushLag(connection: string, path: 'batched' | 'single', committedAt: Iterable<number | undefined>): void {
  const now = Date.now();
  for (const at of committedAt) {
    if (at !== undefined) pushLagSeconds.observe({ connection, path }, Math.max(0, now - at) / 1000);
  }
}
