// At most `limit` requests are served at once, like PHP-FPM workers; the others wait in FIFO order.

export class WorkerPool {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit));
    this.drain();
  }

  acquire(): Promise<void> {
    if (this.busy < this.limit) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.busy--;
    this.drain();
  }

  private drain(): void {
    while (this.busy < this.limit && this.waiting.length > 0) {
      this.busy++;
      this.waiting.shift()!();
    }
  }
}
