// A map bounded in size and age, for the request path's in-process memos (the principal caches,
// presented API keys): an entry is gone `ttlMs` after it was set, and when the map is full the
// oldest entry goes first. A Map iterates in insertion order, and set() re-inserts, so the first
// key is always the oldest: eviction is O(1).
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, { value: V; at: number }>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor({ max, ttlMs, now = Date.now }: { max: number; ttlMs: number; now?: () => number }) {
    if (!(max >= 1) || !(ttlMs > 0)) throw new Error("BoundedMap: max must be at least 1 and ttlMs above 0");
    this.max = max;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** The value set for `key`, unless its time is over (then the entry is dropped). */
  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Sets `key` as the newest entry, dropping the oldest when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, at: this.now() });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
