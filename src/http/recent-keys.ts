/**
 * A bounded set of keys remembered for a while: at most `maxEntries`, each for
 * `ttlMs` after it was added, the oldest dropped first. The clock is a
 * parameter so that tests can move it.
 */
export class RecentKeys {
  private readonly addedAt = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  has(key: string): boolean {
    const added = this.addedAt.get(key);
    if (added === undefined) return false;
    if (this.now() - added < this.ttlMs) return true;
    this.addedAt.delete(key);
    return false;
  }

  add(key: string): void {
    // Re-inserted at the end, so the map's order stays oldest first.
    this.addedAt.delete(key);
    this.addedAt.set(key, this.now());
    while (this.addedAt.size > this.maxEntries) {
      const oldest = this.addedAt.keys().next().value;
      if (oldest === undefined) break;
      this.addedAt.delete(oldest);
    }
  }
}
