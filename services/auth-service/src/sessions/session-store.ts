import type { DatabaseSync } from 'node:sqlite';

export interface SessionLifetimes {
  /** A session unused this long ends. */
  idleTimeoutMs: number;
  /** A session this old ends however active. */
  maxAgeMs: number;
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/**
 * koa-session's external store over the embedded database: the cookie carries only the id.
 * Lifetimes are enforced here, by the injected clock, not by the cookie: an idle or too old
 * session reads as absent and is deleted. A read refreshes `last_seen_at` only when it is
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
  const select = db.prepare('SELECT data, created_at, last_seen_at FROM sessions WHERE id = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO sessions (id, data, created_at, last_seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET data = excluded.data, last_seen_at = excluded.last_seen_at`,
  );
  const remove = db.prepare('DELETE FROM sessions WHERE id = ?');
  const purge = db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?');
  const count = db.prepare('SELECT count(*) AS n FROM sessions');

  const touchIntervalMs = Math.min(60_000, Math.floor(lifetimes.idleTimeoutMs / 10));
  const expired = (createdAt: number, lastSeenAt: number, at: number) =>
    at - lastSeenAt > lifetimes.idleTimeoutMs || at - createdAt > lifetimes.maxAgeMs;

  return {
    async get(id: string): Promise<Record<string, unknown> | undefined> {
      const row = select.get(id);
      if (!row) return undefined;
      const at = now();
      if (expired(Number(row.created_at), Number(row.last_seen_at), at)) {
        remove.run(id);
        return undefined;
      }
      if (at - Number(row.last_seen_at) >= touchIntervalMs) touch.run(at, id);
      return JSON.parse(String(row.data)) as Record<string, unknown>;
    },
    async set(id: string, data: Record<string, unknown>): Promise<void> {
      const at = now();
      upsert.run(id, JSON.stringify(data), at, at);
    },
    async destroy(id: string): Promise<void> {
      remove.run(id);
    },
    /** Deletes every idle or too old session; returns how many. */
    purgeExpired(): number {
      const at = now();
      const result = purge.run(at - lifetimes.idleTimeoutMs, at - lifetimes.maxAgeMs);
      return Number(result.changes);
    },
    /** Sessions currently stored (tests, metrics). */
    size(): number {
      return Number(count.get()?.n ?? 0);
    },
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
