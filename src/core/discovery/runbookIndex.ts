// The runbooks found, kept up to date one file at a time. Paths are kept sorted so that a deleted
// folder removes its runbooks with two binary searches, not a loop over every entry.

export class RunbookIndex<T> {
  private readonly entries = new Map<string, T>();
  private readonly sorted: string[] = [];

  get size(): number {
    return this.entries.size;
  }

  get(path: string): T | undefined {
    return this.entries.get(path);
  }

  /** Every entry, by path. */
  [Symbol.iterator](): IterableIterator<[string, T]> {
    return this.sorted.map((path) => [path, this.entries.get(path) as T] as [string, T])[Symbol.iterator]();
  }

  set(path: string, value: T): void {
    if (!this.entries.has(path)) this.sorted.splice(this.lowerBound(path), 0, path);
    this.entries.set(path, value);
  }

  delete(path: string): boolean {
    if (!this.entries.delete(path)) return false;
    this.sorted.splice(this.lowerBound(path), 1);
    return true;
  }

  /** Removes every entry under `folder` (a path prefix ending in `/`); returns how many. */
  deleteUnder(folder: string): number {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    const start = this.lowerBound(prefix);
    // Every path with the prefix sorts before the prefix with its last character bumped.
    const end = this.lowerBound(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1));
    const removed = this.sorted.splice(start, end - start);
    for (const path of removed) this.entries.delete(path);
    return removed.length;
  }

  clear(): void {
    this.entries.clear();
    this.sorted.length = 0;
  }

  private lowerBound(path: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sorted[mid] < path) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
