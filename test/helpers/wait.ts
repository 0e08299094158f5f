/**
 * Waiting for a condition in a test. A wait ends when the condition holds, never because a
 * wall-clock budget ran out: how long the product takes on a busy machine is not what a test
 * checks (speed is measured by `npm run bench`). The hang guard is mocha's timeout of the test;
 * when the test ends (passed, failed or timed out) its pending waits stop and say what they waited for.
 */

export interface WaitOptions {
  /**
   * A deadline of the wait's own. Only for a bound the product promises (it is then a speed
   * assertion); a hang is mocha's timeout's business.
   */
  deadlineMs?: number;
  /** How often the condition is checked. Default 100 ms. */
  intervalMs?: number;
}

/** A line on the output after this long, and again as often, says what is still awaited. */
const PROGRESS_EVERY_MS = 30_000;

interface PendingWait {
  what: string;
  abandon(reason: string): void;
}
const pending = new Set<PendingWait>();

/**
 * Checks `fn` until it returns something other than undefined or false, and returns that. A
 * third argument given as a number is a deadline (see WaitOptions.deadlineMs).
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  opts: number | WaitOptions = {},
): Promise<T> {
  const { deadlineMs, intervalMs = 100 } = typeof opts === 'number' ? { deadlineMs: opts } : opts;
  const started = Date.now();
  let nextProgress = started + PROGRESS_EVERY_MS;
  let last: unknown;
  let abandoned: string | undefined;
  let wake: () => void = () => undefined;
  const self: PendingWait = {
    what,
    abandon: (reason) => {
      abandoned = reason;
      wake();
    },
  };
  const lastError = () => (last ? `: ${String(last)}` : '');
  pending.add(self);
  try {
    for (;;) {
      try {
        const v = await fn();
        if (v !== undefined && v !== false) return v as T;
      } catch (err) {
        last = err;
      }
      const waited = Date.now() - started;
      if (abandoned) throw new Error(`gave up waiting for ${what} after ${Math.round(waited / 1000)} s (${abandoned})${lastError()}`);
      if (deadlineMs !== undefined && waited > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${lastError()}`);
      if (Date.now() >= nextProgress) {
        console.log(`      … still waiting for ${what} (${Math.round(waited / 1000)} s${lastError()})`);
        nextProgress += PROGRESS_EVERY_MS;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    pending.delete(self);
  }
}

/**
 * Stops every pending wait (the root hooks call it after each test), so a test that timed out
 * leaves nothing polling behind it; each one stopped is named on the output.
 */
export function abandonWaits(reason: string): void {
  for (const w of pending) {
    console.log(`      the test ended while waiting for ${w.what}`);
    w.abandon(reason);
  }
}
