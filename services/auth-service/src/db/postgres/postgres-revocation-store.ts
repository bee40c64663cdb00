import type { RevocationStore } from '../../oauth/revocation-feed/revocation-store.js';
import { feedEntryFromRow } from '../rows/revocation-row.js';
import { settledCursor } from '../../oauth/revocation-feed/settled-cursor.js';
import type { Database } from './postgres-pool.js';

/**
 * How long after the database recorded an entry the cursor may pass it. Each insert is one
 * autocommit statement, so a smaller id commits within milliseconds of a larger one; two
 * seconds is generous, and only means the tail is served again.
 */
export const FEED_SETTLE_MS = 2000;

/**
 * The revocation feed in PostgreSQL (table `revocations`), written by every replica. Ids come
 * from a sequence, taken at insert and visible at commit, so the cursor handed out stops short
 * of entries the database recorded less than FEED_SETTLE_MS ago (settled-cursor.ts).
 *
 * @example
 * const revocations = createPostgresRevocationStore(db);
 * const { entries, cursor } = await revocations.since(0, 1000);
 */
export function createPostgresRevocationStore(
  db: Database,
  settleMs = FEED_SETTLE_MS,
): RevocationStore {
  return {
    async record(entry) {
      await db.execute(
        `INSERT INTO revocations (sid, sub, jti, at, expires_at, reason)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          entry.sid ?? null,
          entry.sub ?? null,
          entry.jti ?? null,
          entry.at,
          entry.expiresAt,
          entry.reason,
        ],
      );
    },
    async isRevoked(claims) {
      const rows = await db.query(
        `SELECT 1 FROM revocations WHERE at >= $1
           AND (jti = $2 OR sub = $3 OR sid = $4) LIMIT 1`,
        [claims.iat * 1000, claims.jti, claims.sub, claims.sid ?? null],
      );
      return rows.length > 0;
    },
    async since(cursor, limit) {
      const rows = await db.query(
        `SELECT r.*, (floor(extract(epoch FROM clock_timestamp()) * 1000))::BIGINT AS db_now,
           (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM revocations_id_seq)
             AS last_id
         FROM (SELECT 1) AS one LEFT JOIN LATERAL (
           SELECT * FROM revocations WHERE id > $1 ORDER BY id LIMIT $2) AS r ON TRUE`,
        [cursor, limit + 1],
      );
      const dbNow = Number(rows[0]!.db_now);
      const lastId = Number(rows[0]!.last_id);
      const entries = rows.filter((row) => row.id !== null).map(feedEntryFromRow);
      const more = entries.length > limit;
      if (more) entries.length = limit;
      if (entries.length === 0) return { entries, cursor: Math.min(cursor, lastId), more };
      const recorded = entries.map((entry, i) => ({
        id: entry.id,
        recordedAt: Number(rows[i]!.recorded_at),
      }));
      const settled = settledCursor(recorded, cursor, dbNow, settleMs);
      // A full page that has not settled at all is read again at the next poll, not at once.
      return { entries, cursor: settled, more: more && settled > cursor };
    },
    purgeExpired: (before) =>
      db.execute('DELETE FROM revocations WHERE expires_at <= $1', [before]),
  };
}
