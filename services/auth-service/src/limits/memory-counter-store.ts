import type { CounterStore } from './counter-store.js';

/** Keys tracked at once by default (client addresses and users, for every limit together). */
const DEFAULT_MAX_KEYS = 200_000;

/**
 * Counters in process memory: exact for one replica, lost on restart. Memory is bounded: a key
 * holds only its current window's count, and beyond `maxKeys` keys the one counted least
 * recently is dropped (a key of an ended window before any counted in the current one).
 *
 * @example
 * const counters = createMemoryCounterStore();
 * await counters.increment('login:10.0.0.1', windowStartOf(now, 60_000), 60_000); // 1
 */
export function createMemoryCounterStore(options: { maxKeys?: number } = {}): CounterStore {
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  // Insertion order is the order keys were last counted: the first is the least recent.
  const counts = new Map<string, { windowStart: number; count: number }>();
  return {
    async increment(key, windowStart) {
      const entry = counts.get(key);
      const count = entry && entry.windowStart === windowStart ? entry.count + 1 : 1;
      counts.delete(key);
      if (counts.size >= maxKeys) counts.delete(counts.keys().next().value as string);
      counts.set(key, { windowStart, count });
      return count;
    },
    async get(key, windowStart) {
      const entry = counts.get(key);
      return entry && entry.windowStart === windowStart ? entry.count : 0;
    },
  };
}
