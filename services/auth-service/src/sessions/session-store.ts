import type { DatabaseSync } from 'node:sqlite';

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleTimeoutMs: number;
  /** A session this old ends however active. */
  maxAgeMs: number;
}

/**
 * How long a pending sign-in (a session without `userId`: every GET /auth/login makes one)
 * lives, counted from its creation. Long enough for a slow provider page, short enough that
 * abandoned sign-ins do not hold storage for the whole idle timeout.
 */
export const PENDING_SIGN_IN_TTL_MS = 10 * 60 * 1000;

export type SessionStore = ReturnType<typeof createSessionStore>;

/** A signed-in session as the account page lists it; never its cookie id. */
export interface SessionSummary {
  /** The session's `sid` (also its access tokens' claim): the id the page names it by. */
  readonly sid: string;
  readonly createdAt: number;
  /** When it was last used, to within the store's touch interval. */
  readonly lastUsedAt: number;
  /** Where the sign-in came from; null for sessions from before this was recorded. */
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/**
 * koa-session's external store over the embedded database: the cookie carries only the id.
 * Lifetimes are enforced here, by the injected clock, not by the cookie: an idle or too old
 * session reads as absent and is deleted. A session is signed in once its data carries a
 * `userId` (complete-sign-in.ts); until then it ends PENDING_SIGN_IN_TTL_MS after creation. A read refreshes `last_seen_at` only when it is
 * older than `touchIntervalMs`: one disk write per session a minute instead of one per request
 * (the idle timeout is then exact to within that interval).
 *
 * @example
 * const store = createSessionStore(db, { idleTimeoutMs, maxAgeMs }, Date.now);
 * app.use(session({ store, ... }, app));
 */
export function createSessionStore(
  db: DatabaseSync,
  lifetimes: SessionLifetimes,
  now: () => number,
) {
  const select = db.prepare(
    'SELECT data, created_at, last_seen_at, signed_in FROM sessions WHERE id = ?',
  );
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO sessions (id, data, signed_in, created_at, last_seen_at, user_id, sid, ip,
       user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data, signed_in = excluded.signed_in,
       last_seen_at = excluded.last_seen_at, user_id = excluded.user_id, sid = excluded.sid,
       ip = excluded.ip, user_agent = excluded.user_agent`,
  );
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?');
  const listOfUser = db.prepare(
    `SELECT sid, created_at, last_seen_at, ip, user_agent FROM sessions
     WHERE user_id = ? AND signed_in = 1 AND last_seen_at >= ? AND created_at >= ?
     ORDER BY created_at DESC`,
  );
  const removeBySid = db.prepare('DELETE FROM sessions WHERE user_id = ? AND sid = ?');
  const removeAllOfUser = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const purge = db.prepare(
    `DELETE FROM sessions
     WHERE last_seen_at < ? OR created_at < ? OR (signed_in = 0 AND created_at < ?)`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM sessions');

  const touchIntervalMs = Math.min(60_000, Math.floor(lifetimes.idleTimeoutMs / 10));
  const expired = (row: Record<string, unknown>, at: number) => {
    const age = at - Number(row.created_at);
    return (
      at - Number(row.last_seen_at) > lifetimes.idleTimeoutMs ||
      age > lifetimes.maxAgeMs ||
      (!row.signed_in && age > PENDING_SIGN_IN_TTL_MS)
    );
  };

  return {
    async get(id: string): Promise<Record<string, unknown> | undefined> {
      const row = select.get(id);
      if (!row) return undefined;
      const at = now();
      if (expired(row, at)) {
        remove.run(id);
        return undefined;
      }
      if (at - Number(row.last_seen_at) >= touchIntervalMs) touch.run(at, id);
      return JSON.parse(String(row.data)) as Record<string, unknown>;
    },
    async set(id: string, data: Record<string, unknown>): Promise<void> {
      const at = now();
      const signedIn = isSignedIn(data);
      const from = signedIn ? sourceOf(data) : { ip: null, userAgent: null };
      upsert.run(
        id,
        JSON.stringify(data),
        signedIn ? 1 : 0,
        at,
        at,
        signedIn ? (data.userId as string) : null,
        signedIn && typeof data.sid === 'string' ? data.sid : null,
        from.ip,
        from.userAgent,
      );
    },
    async destroy(id: string): Promise<void> {
      remove.run(id);
    },
    /** The user's live signed-in sessions, newest first. */
    async listOfUser(userId: string): Promise<SessionSummary[]> {
      const at = now();
      return listOfUser
        .all(userId, at - lifetimes.idleTimeoutMs, at - lifetimes.maxAgeMs)
        .map((row) => ({
          sid: String(row.sid),
          createdAt: Number(row.created_at),
          lastUsedAt: Number(row.last_seen_at),
          ip: row.ip === null ? null : String(row.ip),
          userAgent: row.user_agent === null ? null : String(row.user_agent),
        }));
    },
    /** Ends the session `sid` of `userId` (another user's sid ends nothing); true if it did. */
    async endBySid(userId: string, sid: string): Promise<boolean> {
      return Number(removeBySid.run(userId, sid).changes) > 0;
    },
    /** Ends every session of `userId` ("sign out everywhere", a disabled user); how many. */
    async endAllOfUser(userId: string): Promise<number> {
      return Number(removeAllOfUser.run(userId).changes);
    },
    /** Deletes every idle, too old or stale pending session; returns how many. */
    purgeExpired(): number {
      const at = now();
      const result = purge.run(
        at - lifetimes.idleTimeoutMs,
        at - lifetimes.maxAgeMs,
        at - PENDING_SIGN_IN_TTL_MS,
      );
      return Number(result.changes);
    },
    /** Sessions currently stored (tests, metrics). */
    size(): number {
      return Number(count.get()?.n ?? 0);
    },
  };
}

/** The same test as requireSignedInUser's: a string `userId`. */
function isSignedIn(data: Record<string, unknown>): boolean {
  return typeof data.userId === 'string';
}

/** The sign-in's source a SignedInSession carries (`from`), checked field by field. */
function sourceOf(data: Record<string, unknown>): { ip: string | null; userAgent: string | null } {
  const from = (data.from ?? {}) as Record<string, unknown>;
  return {
    ip: typeof from.ip === 'string' ? from.ip : null,
    userAgent: typeof from.userAgent === 'string' ? from.userAgent : null,
  };
}

/** Runs `purgeExpired` every `intervalMs` without keeping the process alive; returns stop. */
export function startSessionPurge(
  store: Pick<SessionStore, 'purgeExpired'>,
  intervalMs: number,
  onError: (err: unknown) => void,
): () => void {
  const timer = setInterval(() => {
    try {
      store.purgeExpired();
    } catch (err) {
      onError(err);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
