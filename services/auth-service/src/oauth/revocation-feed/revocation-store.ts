import type { RevocationEntry, RevocationRecorder } from './revocation-recorder.js';

/** An entry as the feed publishes it: with its place in the feed. */
export interface FeedEntry extends RevocationEntry {
  /** Increasing in feed order; what cursors count. */
  readonly id: number;
}

/** One read of the feed: entries after the cursor, in id order, and where to read next. */
export interface FeedPage {
  readonly entries: readonly FeedEntry[];
  /**
   * Where the next read starts. It may lag behind the last entry returned: it never passes an
   * entry that another writer could still commit with a smaller id, so a later read returns
   * the unsettled tail again (readers keep entries by what they name, so a repeat is harmless).
   */
  readonly cursor: number;
  /** True when the page was cut at `limit`: read again at once from `cursor`. */
  readonly more: boolean;
}

/**
 * The revocation feed's persistence (one adapter per database,
 * db/sqlite/sqlite-revocation-store.ts): what the auth-service records when access ends, and
 * what it publishes to every verifier at GET /auth/.well-known/revocations.
 *
 * Cursor safety across replicas: ids come from the database. With one writer (SQLite) ids are
 * committed in order and the cursor is the last id returned. With several writers a smaller id
 * can commit after a larger one is visible, so such an adapter holds the cursor back before
 * any entry recorded less than its settle window ago (by the database's clock; see
 * settled-cursor.ts): the tail is served again until it has settled.
 */
export interface RevocationStore extends RevocationRecorder {
  /**
   * Entries with an id above `cursor` (0: from the start), at most `limit`. A cursor past
   * every id ever given (a restored database) is answered with the last id as the next cursor.
   */
  since(cursor: number, limit: number): Promise<FeedPage>;
  /** Deletes the entries whose `expiresAt` is at or before `before`; returns how many. */
  purgeExpired(before: number): Promise<number>;
}
