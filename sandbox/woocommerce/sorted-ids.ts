// Ids kept sorted by a (key, id) pair, maintained with binary search on every change, so a list
// request never sorts: it reads a range and walks it in either direction.

export class SortedIds {
  private ids: number[] = [];

  /** `key(id)` must answer for every id held, and must not change while the id is held. */
  constructor(private readonly key: (id: number) => number) {}

  get size(): number {
    return this.ids.length;
  }

  at(i: number): number {
    return this.ids[i]!;
  }

  /** First position whose (key, id) is >= (k, id). */
  private lowerBound(k: number, id: number): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.before(this.ids[mid]!, k, id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(id: number): void {
    const k = this.key(id);
    // Appends (the common case: new orders, fresh modifications) cost no search.
    if (this.ids.length === 0 || this.before(this.ids[this.ids.length - 1]!, k, id)) {
      this.ids.push(id);
      return;
    }
    this.ids.splice(this.lowerBound(k, id), 0, id);
  }

  /** Whether `other` sorts before (k, id). */
  private before(other: number, k: number, id: number): boolean {
    const ok = this.key(other);
    return ok < k || (ok === k && other < id);
  }

  /** Call before the key of `id` changes (the key function must still answer the old key). */
  remove(id: number): void {
    const i = this.lowerBound(this.key(id), id);
    if (this.ids[i] === id) this.ids.splice(i, 1);
  }

  /** Replaces the content with `ids`, sorted once. */
  rebuild(ids: Iterable<number>): void {
    const withKeys = [...ids].map((id) => ({ id, k: this.key(id) }));
    withKeys.sort((a, b) => a.k - b.k || a.id - b.id);
    this.ids = withKeys.map((e) => e.id);
  }

  clear(): void {
    this.ids = [];
  }

  /** [from, to) positions of the ids whose key is > after (or >= when inclusive) and < before. */
  range(after?: number, before?: number): [number, number] {
    const from = after === undefined ? 0 : this.lowerBound(after, Number.MAX_SAFE_INTEGER);
    const to = before === undefined ? this.ids.length : this.lowerBound(before, Number.MIN_SAFE_INTEGER);
    return [from, Math.max(from, to)];
  }
}
