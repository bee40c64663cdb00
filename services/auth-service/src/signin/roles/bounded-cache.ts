/**
 * A small in-memory cache bounded twice: entries expire `ttlMs` after they were stored, and
 * beyond `maxEntries` the least recently used one is evicted. Time comes from `now`, so tests
 * move a clock instead of sleeping. One per process: replicas do not share it.
 *
 * @example
 * const cache = new BoundedCache<string, string[]>({ maxEntries: 1000, ttlMs: 900_000, now });
 * cache.set('ada@example.com', ['eng@example.com']);
 * cache.get('ada@example.com'); // ['eng@example.com'] for 15 minutes, unless evicted
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { value: V; storedAt: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries: number; ttlMs: number; now: () => number }) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new TypeError('"maxEntries" must be a positive integer, e.g. 1000');
    }
    if (!Number.isFinite(options.ttlMs) || options.ttlMs <= 0) {
      throw new TypeError('"ttlMs" must be a positive number of milliseconds, e.g. 300000');
    }
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  /** The value stored under `key` when not expired; marks it recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (this.#now() - entry.storedAt >= this.#ttlMs) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` (its age starts now), evicting the least recently used beyond the bound. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, storedAt: this.#now() });
    while (this.#entries.size > this.#maxEntries) {
      // A Map iterates in insertion order, and get() re-inserts: the first key is the oldest use.
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Entries held, expired ones included until they are read or evicted. */
  get size(): number {
    return this.#entries.size;
  }
}
