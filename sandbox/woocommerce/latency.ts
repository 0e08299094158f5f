// Service time of a request: perRequestMs + perObjectMs × objects written + random jitter, plus perImageMs per image downloaded.
import type { LatencyOptions } from './types';

export class Latency {
  private perRequestMs = 0;
  private perObjectMs = 0;
  private jitterMs = 0;
  private perImageMs = 0;

  constructor(options: LatencyOptions = {}, private readonly random: () => number = Math.random) {
    this.set(options);
  }

  set(options: LatencyOptions): void {
    if (options.perRequestMs !== undefined) this.perRequestMs = Math.max(0, options.perRequestMs);
    if (options.perObjectMs !== undefined) this.perObjectMs = Math.max(0, options.perObjectMs);
    if (options.jitterMs !== undefined) this.jitterMs = Math.max(0, options.jitterMs);
    if (options.perImageMs !== undefined) this.perImageMs = Math.max(0, options.perImageMs);
  }

  /** The time the store spends downloading `images` images. */
  imageTimeMs(images: number): number {
    return this.perImageMs * images;
  }

  serviceTimeMs(objects: number): number {
    return this.perRequestMs + this.perObjectMs * objects + (this.jitterMs > 0 ? this.random() * this.jitterMs : 0);
  }
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
