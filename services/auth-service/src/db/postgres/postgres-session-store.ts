import {
  signedInColumns,
  touchIntervalMs,
  type SessionLifetimes,
  type SessionStore,
} from '../../sessions/session-store.js';
import { isSignedInSession } from '../../sessions/signed-in-session.js';
import {
  JOINED_SESSION_COLUMNS,
  liveSessionBounds,
  sessionOfJoinedRow,
  sessionRowExpired,
  sessionSummaryFromRow,
  sessionWithUserFromRow,
} from '../rows/session-row.js';
import type { Row } from '../rows/row.js';
import { prepared, type Database } from './postgres-pool.js';
import { USER_COLUMNS } from './postgres-user-directory.js';

const SELECT_SESSION = prepared(
  'SELECT data, created_at, last_seen_at, signed_in FROM sessions WHERE id = $1',
);
/**
 * The read of every request under /auth: the session and the user its row names, in one
 * statement prepared once per connection; the session's columns renamed, the user's as
 * userFromRow reads them (NULL when there is no such user).
 */
const SELECT_SESSION_WITH_USER = prepared(
  `SELECT ${JOINED_SESSION_COLUMNS}, ${USER_COLUMNS}
   FROM sessions LEFT JOIN users ON users.id = sessions.user_id
   WHERE sessions.id = $1`,
);

/**
 * Sessions in PostgreSQL (table `sessions`), so a session made through one replica is
 * honoured, listed and ended through any other; lifetimes as in the SQLite adapter.
 *
 * @example
 * const store = createPostgresSessionStore(db, { idleTimeoutMs, maxAgeMs }, Date.now);
 */
export function createPostgresSessionStore(
  db: Database,
  lifetimes: SessionLifetimes,
  now: () => number,
): SessionStore {
  const touchEvery = touchIntervalMs(lifetimes);
  const remove = (id: string) => db.execute('DELETE FROM sessions WHERE id = $1', [id]);
  /** $1 to $8 of both writes: the row's id, its data and what the data says of itself. */
  const written = (id: string, data: Record<string, unknown>, at: number) => {
    const columns = signedInColumns(data);
    return [
      id,
      JSON.stringify(data),
      isSignedInSession(data),
      at,
      columns.userId,
      columns.sid,
      columns.ip,
      columns.userAgent,
    ];
  };

  /** Whether the row read is live: an expired one is deleted, a live one touched when due. */
  const live = async (id: string, row: Row) => {
    const at = now();
    if (sessionRowExpired(row, lifetimes, at)) {
      await remove(id);
      return false;
    }
    if (at - Number(row.last_seen_at) >= touchEvery) {
      await db.execute('UPDATE sessions SET last_seen_at = $1 WHERE id = $2', [at, id]);
    }
    return true;
  };

  return {
    async get(id) {
      const [row] = await db.query(SELECT_SESSION, [id]);
      if (!row || !(await live(id, row))) return undefined;
      return JSON.parse(String(row.data)) as Record<string, unknown>;
    },
    async getWithUser(id) {
      const [row] = await db.query(SELECT_SESSION_WITH_USER, [id]);
      if (!row) return undefined;
      if (!(await live(id, sessionOfJoinedRow(row)))) return undefined;
      return sessionWithUserFromRow(row);
    },
    async create(id, data) {
      await db.execute(
        `INSERT INTO sessions (id, data, signed_in, created_at, last_seen_at, user_id, sid, ip,
           user_agent) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8)`,
        written(id, data, now()),
      );
    },
    async update(id, data) {
      const at = now();
      const live = liveSessionBounds(lifetimes, at);
      // Only a live row: an ended session is gone, an expired one must not come back to life.
      const changed = await db.execute(
        `UPDATE sessions SET data = $2, signed_in = $3, last_seen_at = $4, user_id = $5, sid = $6,
           ip = $7, user_agent = $8
         WHERE id = $1 AND last_seen_at >= $9 AND created_at >= $10
           AND (signed_in OR created_at >= $11)`,
        [...written(id, data, at), live.lastSeenSince, live.createdSince, live.pendingCreatedSince],
      );
      return changed > 0;
    },
    async destroy(id) {
      await remove(id);
    },
    async purgeExpired() {
      const live = liveSessionBounds(lifetimes, now());
      return db.execute(
        `DELETE FROM sessions
         WHERE last_seen_at < $1 OR created_at < $2 OR (NOT signed_in AND created_at < $3)`,
        [live.lastSeenSince, live.createdSince, live.pendingCreatedSince],
      );
    },
    async size() {
      const [row] = await db.query('SELECT count(*) AS n FROM sessions');
      return Number(row?.n ?? 0);
    },
    async listOfUser(userId) {
      const at = now();
      const rows = await db.query(
        `SELECT sid, created_at, last_seen_at, ip, user_agent FROM sessions
         WHERE user_id = $1 AND signed_in AND sid IS NOT NULL AND last_seen_at >= $2
           AND created_at >= $3
         ORDER BY created_at DESC`,
        [userId, at - lifetimes.idleTimeoutMs, at - lifetimes.maxAgeMs],
      );
      return rows.map(sessionSummaryFromRow);
    },
    async endBySid(userId, sid) {
      return (
        (await db.execute('DELETE FROM sessions WHERE user_id = $1 AND sid = $2', [userId, sid])) >
        0
      );
    },
    async endAllOfUser(userId) {
      return db.execute('DELETE FROM sessions WHERE user_id = $1', [userId]);
    },
  };
}
