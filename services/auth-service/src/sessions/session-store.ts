import type { DirectoryEntry } from '../users/user-directory.js';
import { isSignedInSession } from './signed-in-session.js';

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

/** A signed-in session as the account page lists it; never its cookie id. */
export interface SessionSummary {
  /** The session's `sid` (also its access tokens' claim): the id the page names it by. */
  readonly sid: string;
  readonly createdAt: number;
  /** When it was last used, to within the touch interval. */
  readonly lastUsedAt: number;
  /** Where the sign-in came from; null for sessions from before this was recorded. */
  readonly ip: string | null;
  readonly userAgent: string | null;
}

/**
 * koa-session's external store: the cookie carries only the id. One adapter per database
 * (db/sqlite/sqlite-session-store.ts); every adapter passes
 * test/contracts/session-store-contract.ts. Lifetimes are enforced by the store, on its
 * injected clock, not by the cookie: an idle (unused longer than `idleTimeoutMs`), too old
 * (older than `maxAgeMs`) or stale pending session (no string `userId` and older than
 * PENDING_SIGN_IN_TTL_MS) reads as absent and is deleted. A read refreshes the last use at
 * most once per touch interval (min(60 s, idle timeout / 10)), so the idle timeout is exact to
 * within that interval.
 */
export interface SessionStore {
  get(id: string): Promise<Record<string, unknown> | undefined>;
  /**
   * `get`, with the same lifetimes and touch, and in the same statement the directory entry
   * of the user the row names: one round trip per request for the session and its user.
   */
  getWithUser(id: string): Promise<SessionWithUser | undefined>;
  /** Stores a new session under a freshly minted id; an id already stored is an error. */
  create(id: string, data: Record<string, unknown>): Promise<void>;
  /**
   * Replaces a live session's data; counts as a use; its creation time is kept. Resolves
   * false and stores nothing when the id is not a live session: never created, ended
   * (destroy, endBySid, endAllOfUser, purge) or past a lifetime. No write ever brings back a
   * session that ended.
   */
  update(id: string, data: Record<string, unknown>): Promise<boolean>;
  destroy(id: string): Promise<void>;
  /** Deletes every idle, too old or stale pending session; resolves to how many. */
  purgeExpired(): Promise<number>;
  /** Sessions currently stored, expired ones not yet purged included (tests, metrics). */
  size(): Promise<number>;
  /** The user's live signed-in sessions (by `sid`, never the cookie id), newest first. */
  listOfUser(userId: string): Promise<SessionSummary[]>;
  /** Ends the session `sid` of `userId` (another user's sid ends nothing); true if it did. */
  endBySid(userId: string, sid: string): Promise<boolean>;
  /** Ends every session of `userId` ("sign out everywhere", a disabled user); how many. */
  endAllOfUser(userId: string): Promise<number>;
}

/** A live session as getWithUser reads it. */
export interface SessionWithUser {
  readonly data: Record<string, unknown>;
  /** The user the row names (its `user_id`, written from `data.userId`); null when pending. */
  readonly userId: string | null;
  /** That user's entry, read as findById reads it; undefined when there is no such user. */
  readonly user: DirectoryEntry | undefined;
}

/** How often a session read refreshes its last use: one write per session a minute at most. */
export function touchIntervalMs(lifetimes: SessionLifetimes): number {
  return Math.min(60_000, Math.floor(lifetimes.idleTimeoutMs / 10));
}

/**
 * What a signed-in session's data says of itself, for the columns the account page queries:
 * its user, `sid` and where it signed in (SignedInSession's `from`), each checked; all null
 * for a pending sign-in.
 */
export function signedInColumns(data: Record<string, unknown>): {
  userId: string | null;
  sid: string | null;
  ip: string | null;
  userAgent: string | null;
} {
  if (!isSignedInSession(data)) return { userId: null, sid: null, ip: null, userAgent: null };
  const from = (typeof data.from === 'object' && data.from !== null ? data.from : {}) as Record<
    string,
    unknown
  >;
  return {
    userId: data.userId as string,
    sid: typeof data.sid === 'string' ? data.sid : null,
    ip: typeof from.ip === 'string' ? from.ip : null,
    userAgent: typeof from.userAgent === 'string' ? from.userAgent : null,
  };
}

/**
 * Runs `purgeExpired` every `intervalMs` without keeping the process alive; returns stop. A
 * purge still running when the next is due is not started twice; a failure goes to `onError`.
 */
export function startSessionPurge(
  store: { purgeExpired(): Promise<unknown> },
  intervalMs: number,
  onError: (err: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    store
      .purgeExpired()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
