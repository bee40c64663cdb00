/**
 * Request counters in fixed time windows, for the rate limits (http/rate-limit.ts,
 * oauth/device/guess-limiter.ts, oauth/clients/authenticate-client.ts). One adapter per place counts are kept: process memory
 * (memory-counter-store.ts) for one replica, a database for counting across replicas. A window
 * is named by its start (a multiple of its length); a count from an earlier window never
 * carries into a later one, and an adapter forgets windows that have ended, so memory or
 * rows stay bounded.
 */
export interface CounterStore {
  /**
   * Adds one to `key` in the window `[windowStart, windowStart + windowMs)`; resolves to the
   * count in that window including this one (1 for the first).
   */
  increment(key: string, windowStart: number, windowMs: number): Promise<number>;
  /** The count of `key` in the window starting at `windowStart`; 0 when nothing was counted. */
  get(key: string, windowStart: number): Promise<number>;
}

/** The start of the fixed window of length `windowMs` that `at` falls in. */
export function windowStartOf(at: number, windowMs: number): number {
  return at - (at % windowMs);
}

/**
 * Whole seconds, at least 1, from `at` to the end of its fixed window: the `Retry-After` of a
 * limit spent in that window.
 *
 * @example
 * retryAfterSeconds(90_500, 60_000); // 30 (the window [60000, 120000) ends in 29.5 s)
 */
export function retryAfterSeconds(at: number, windowMs: number): number {
  return Math.max(1, Math.ceil((windowStartOf(at, windowMs) + windowMs - at) / 1000));
}
