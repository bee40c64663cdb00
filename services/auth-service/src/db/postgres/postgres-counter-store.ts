import type { CounterStore } from '../../limits/counter-store.js';
import type { Database } from './postgres-pool.js';

/** How often, at most, an increment also deletes windows that have ended. */
const PURGE_EVERY_MS = 60_000;

/**
 * Rate-limit counters in PostgreSQL (table `counters`), so a limit counts requests across
 * every replica. One upsert per request; windows that have ended are deleted at most once a
 * minute, in the background, so rows stay bounded.
 *
 * @example
 * const counters = createPostgresCounterStore(db);
 * await counters.increment('ip:203.0.113.7', windowStartOf(now, 60_000), 60_000);
 */
export function createPostgresCounterStore(db: Database): CounterStore {
  let lastPurge = 0;
  return {
    async increment(key, windowStart, windowMs) {
      const end = windowStart + windowMs;
      const [row] = await db.query<{ count: number }>(
        `INSERT INTO counters (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3)
         ON CONFLICT (key, window_start) DO UPDATE SET count = counters.count + 1
         RETURNING count`,
        [key, windowStart, end],
      );
      if (windowStart - lastPurge >= PURGE_EVERY_MS) {
        lastPurge = windowStart;
        // Best effort: a failed purge is retried a minute later and never fails the request.
        db.execute('DELETE FROM counters WHERE expires_at <= $1', [windowStart]).catch(() => {});
      }
      return Number(row!.count);
    },
    async get(key, windowStart) {
      const [row] = await db.query(
        'SELECT count FROM counters WHERE key = $1 AND window_start = $2',
        [key, windowStart],
      );
      return row ? Number(row.count) : 0;
    },
  };
}
