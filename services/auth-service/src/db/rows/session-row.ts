import {
  PENDING_SIGN_IN_TTL_MS,
  type SessionLifetimes,
  type SessionSummary,
  type SessionWithUser,
} from '../../sessions/session-store.js';
import { flag, nullableText, type Row } from './row.js';
import { userFromRow } from './user-row.js';

/**
 * The columns both adapters' getWithUser select before the user's (which keep their names,
 * for userFromRow): the session's, renamed so they do not meet the user's `id` and
 * `created_at`. Read back with sessionOfJoinedRow and sessionWithUserFromRow.
 */
export const JOINED_SESSION_COLUMNS = `sessions.data AS session_data,
  sessions.created_at AS session_created_at, sessions.last_seen_at AS session_last_seen_at,
  sessions.signed_in AS session_signed_in, sessions.user_id AS session_user_id`;

/** The session half of a joined row, with the names sessionRowExpired reads. */
export function sessionOfJoinedRow(row: Row): Row {
  return {
    data: row.session_data,
    created_at: row.session_created_at,
    last_seen_at: row.session_last_seen_at,
    signed_in: row.session_signed_in,
  };
}

/** A live session's joined row: its data, the user its row names, and that user if found. */
export function sessionWithUserFromRow(row: Row): SessionWithUser {
  return {
    data: JSON.parse(String(row.session_data)) as Record<string, unknown>,
    userId: nullableText(row.session_user_id),
    // A LEFT JOIN that found no user leaves every user column NULL.
    user: row.id === null ? undefined : userFromRow(row),
  };
}

/** Whether a `sessions` row has outlived its idle, absolute or pending lifetime at `at`. */
export function sessionRowExpired(row: Row, lifetimes: SessionLifetimes, at: number): boolean {
  const age = at - Number(row.created_at);
  return (
    at - Number(row.last_seen_at) > lifetimes.idleTimeoutMs ||
    age > lifetimes.maxAgeMs ||
    (!flag(row.signed_in) && age > PENDING_SIGN_IN_TTL_MS)
  );
}

/** A signed-in `sessions` row as the account page lists it. */
export function sessionSummaryFromRow(row: Row): SessionSummary {
  return {
    sid: String(row.sid),
    createdAt: Number(row.created_at),
    lastUsedAt: Number(row.last_seen_at),
    ip: nullableText(row.ip),
    userAgent: nullableText(row.user_agent),
  };
}

/**
 * The oldest last use and creation times a live session may have at `at` (the bounds
 * sessionRowExpired checks), for updates that must touch only live rows.
 */
export function liveSessionBounds(
  lifetimes: SessionLifetimes,
  at: number,
): { lastSeenSince: number; createdSince: number; pendingCreatedSince: number } {
  return {
    lastSeenSince: at - lifetimes.idleTimeoutMs,
    createdSince: at - lifetimes.maxAgeMs,
    pendingCreatedSince: at - PENDING_SIGN_IN_TTL_MS,
  };
}
