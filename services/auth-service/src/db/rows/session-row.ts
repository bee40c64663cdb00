import {
  PENDING_SIGN_IN_TTL_MS,
  type SessionLifetimes,
  type SessionSummary,
} from '../../sessions/session-store.js';
import { flag, nullableText, type Row } from './row.js';

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
