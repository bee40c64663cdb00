import type { FeedEntry } from '../../oauth/revocation-feed/revocation-store.js';
import type { Row } from './row.js';

/** A `revocations` row as the feed publishes it; absent claims are left out (both adapters). */
export function feedEntryFromRow(row: Row): FeedEntry {
  return {
    id: Number(row.id),
    ...(row.sid !== null && { sid: String(row.sid) }),
    ...(row.sub !== null && { sub: String(row.sub) }),
    ...(row.jti !== null && { jti: String(row.jti) }),
    at: Number(row.at),
    expiresAt: Number(row.expires_at),
    reason: String(row.reason),
  };
}
