/** About 3 calls per second per account: a sliding one-second window. */
export class CallsPerSecond {
  private readonly recent: number[] = [];

  constructor(private readonly limit: number) {}

  /** Counts the call and says whether it is allowed. */
  take(now = Date.now()): boolean {
    while ((this.recent[0] ?? Infinity) <= now - 1000) this.recent.shift();
    if (this.recent.length >= this.limit) return false;
    this.recent.push(now);
    return true;
  }
}
