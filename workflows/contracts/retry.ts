import { defineSignal } from '@temporalio/workflow';

/**
 * Issue 7 point 12: "push again now" (`possync retry`). A push waiting out its retry backoff
 * starts its next attempt at once; a connection blocked for refused credentials is unblocked
 * (the next push proves the keys) (point 5).
 */
export const retryNowSignal = defineSignal('retryNow');

/** How often a blocked connection is probed with one authenticated read. */
export const BLOCKED_PROBE_INTERVAL_MS = 15_000;

/**
 * Writes that are safe to repeat retry without limit (issue 7 point 5): only a refusal that a
 * retry cannot change (a non-retryable failure) ends a step. The interval is capped so a store
 * that comes back is written to within a minute.
 */
export const UNLIMITED_RETRY = { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
