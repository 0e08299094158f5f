// Counts the eCom requests a piece of work sends, whichever helper sends them (a shared client
// serves concurrent pushes, so the count lives in the async context, not in the client).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestCount {
  requests: number;
  /** POST / PUT / DELETE. */
  writes: number;
}

const current = new AsyncLocalStorage<RequestCount>();

/** Runs `fn`, counting into `count` every request the eCom client sends meanwhile. */
export function countingRequests<T>(count: RequestCount, fn: () => Promise<T>): Promise<T> {
  return current.run(count, fn);
}

/** Called by the client just before a request goes out. */
export function noteEcomRequest(method: string): void {
  const c = current.getStore();
  if (!c) return;
  c.requests += 1;
  if (method !== 'GET') c.writes += 1;
}
