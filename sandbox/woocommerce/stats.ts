// Counters tests read to check how a client used the store.
import type { SandboxStats } from './types';

export class StatsRecorder {
  private data: SandboxStats = StatsRecorder.empty();
  private readonly inFlight = new Map<number, number>();

  private static empty(): SandboxStats {
    return { requests: 0, byMethod: {}, byRoute: {}, faultsInjected: 0, writesByProductId: {}, batchItems: 0, imageDownloads: 0, overlappingWrites: 0, overlappingWritesByProductId: {} };
  }

  request(method: string, routeKey: string): void {
    this.data.requests++;
    this.data.byMethod[method] = (this.data.byMethod[method] ?? 0) + 1;
    this.data.byRoute[routeKey] = (this.data.byRoute[routeKey] ?? 0) + 1;
  }

  fault(): void {
    this.data.faultsInjected++;
  }

  write(id: number): void {
    this.data.writesByProductId[id] = (this.data.writesByProductId[id] ?? 0) + 1;
  }

  /** A write of these products arrived; call the returned function once it is answered. */
  writeStarted(ids: number[]): () => void {
    for (const id of ids) {
      const n = (this.inFlight.get(id) ?? 0) + 1;
      this.inFlight.set(id, n);
      if (n > 1) {
        this.data.overlappingWrites++;
        this.data.overlappingWritesByProductId[id] = (this.data.overlappingWritesByProductId[id] ?? 0) + 1;
      }
    }
    return () => {
      for (const id of ids) {
        const n = (this.inFlight.get(id) ?? 1) - 1;
        if (n <= 0) this.inFlight.delete(id);
        else this.inFlight.set(id, n);
      }
    };
  }

  imageDownloads(n: number): void {
    this.data.imageDownloads += n;
  }

  batchItems(n: number): void {
    this.data.batchItems += n;
  }

  snapshot(): SandboxStats {
    return JSON.parse(JSON.stringify(this.data)) as SandboxStats;
  }

  reset(): void {
    this.data = StatsRecorder.empty();
  }
}
