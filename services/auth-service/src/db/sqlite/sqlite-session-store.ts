import type { DatabaseSync } from 'node:sqlite';
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
import { USER_COLUMNS } from './sqlite-user-directory.js';

/**
 * Sessions over the embedded database (table `sessions`); `signed_in` mirrors whether the
 * data carries a `userId` (complete-sign-in.ts), for the pending sign-in lifetime.
 *
 * @example
 * const store = createSqliteSessionStore(db, { idleTimeoutMs, maxAgeMs }, Date.now);
 * app.use(session({ store, ... }, app));
 */
export function createSqliteSessionStore(
  db: DatabaseSync,
  lifetimes: SessionLifetimes,
  now: () => number,
): SessionStore {
  const select = db.prepare(
    'SELECT data, created_at, last_seen_at, signed_in FROM sessions WHERE id = ?',
  );
  // The session and the user its row names in one statement, the session's columns renamed.
  const selectWithUser = db.prepare(
    `SELECT ${JOINED_SESSION_COLUMNS}, ${USER_COLUMNS}
     FROM sessions LEFT JOIN users ON users.id = sessions.user_id
     WHERE sessions.id = ?`,
  );
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO sessions (id, data, signed_in, created_at, last_seen_at, user_id, sid, ip,
       user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Only a live row: an ended session is gone, an expired one must not be touched back to life.
  const update = db.prepare(
    `UPDATE sessions SET data = ?, signed_in = ?, last_seen_at = ?, user_id = ?, sid = ?, ip = ?,
       user_agent = ?
     WHERE id = ? AND last_seen_at >= ? AND created_at >= ? AND (signed_in = 1 OR created_at >= ?)`,
  );
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?');
  const listOfUser = db.prepare(
    `SELECT sid, created_at, last_seen_at, ip, user_agent FROM sessions
     WHERE user_id = ? AND signed_in = 1 AND sid IS NOT NULL AND last_seen_at >= ?
       AND created_at >= ?
     ORDER BY created_at DESC`,
  );
  const removeBySid = db.prepare('DELETE FROM sessions WHERE user_id = ? AND sid = ?');
  const removeAllOfUser = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const purge = db.prepare(
    `DELETE FROM sessions
     WHERE last_seen_at < ? OR created_at < ? OR (signed_in = 0 AND created_at < ?)`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM sessions');

  const touchEvery = touchIntervalMs(lifetimes);

  /** Whether the row read is live: an expired one is deleted, a live one touched when due. */
  const live = (id: string, row: Row) => {
    const at = now();
    if (sessionRowExpired(row, lifetimes, at)) {
      remove.run(id);
      return false;
    }
    if (at - Number(row.last_seen_at) >= touchEvery) touch.run(at, id);
    return true;
  };

  return {
    async get(id) {
      const row = select.get(id);
      if (!row || !live(id, row)) return undefined;
      return JSON.parse(String(row.data)) as Record<string, unknown>;
    },
    async getWithUser(id) {
      const row = selectWithUser.get(id);
      if (!row) return undefined;
      if (!live(id, sessionOfJoinedRow(row))) return undefined;
      return sessionWithUserFromRow(row);
    },
    async create(id, data) {
      const at = now();
      const columns = signedInColumns(data);
      insert.run(
        id,
        JSON.stringify(data),
        isSignedInSession(data) ? 1 : 0,
        at,
        at,
        columns.userId,
        columns.sid,
        columns.ip,
        columns.userAgent,
      );
    },
    async update(id, data) {
      const at = now();
      const columns = signedInColumns(data);
      const live = liveSessionBounds(lifetimes, at);
      const result = update.run(
        JSON.stringify(data),
        isSignedInSession(data) ? 1 : 0,
        at,
        columns.userId,
        columns.sid,
        columns.ip,
        columns.userAgent,
        id,
        live.lastSeenSince,
        live.createdSince,
        live.pendingCreatedSince,
      );
      return Number(result.changes) > 0;
    },
    async destroy(id) {
      remove.run(id);
    },
    async purgeExpired() {
      const live = liveSessionBounds(lifetimes, now());
      const result = purge.run(live.lastSeenSince, live.createdSince, live.pendingCreatedSince);
      return Number(result.changes);
    },
    async size() {
      return Number(count.get()?.n ?? 0);
    },
    async listOfUser(userId) {
      const at = now();
      return listOfUser
        .all(userId, at - lifetimes.idleTimeoutMs, at - lifetimes.maxAgeMs)
        .map(sessionSummaryFromRow);
    },
    async endBySid(userId, sid) {
      return Number(removeBySid.run(userId, sid).changes) > 0;
    },
    async endAllOfUser(userId) {
      return Number(removeAllOfUser.run(userId).changes);
    },
  };
}
