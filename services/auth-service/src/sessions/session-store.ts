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
    `INSERT INTO sessions (id, data, signed_in, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data, signed_in = excluded.signed_in,
       last_seen_at = excluded.last_seen_at`,
  );
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?');
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
      upsert.run(id, JSON.stringify(data), isSignedIn(data) ? 1 : 0, at, at);
    },
    async destroy(id: string): Promise<void> {
      remove.run(id);
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
