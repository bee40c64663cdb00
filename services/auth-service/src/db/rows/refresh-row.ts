import type { RefreshFamily, RefreshTokenRecord } from '../../oauth/refresh/refresh-token-store.js';
import { nullableNumber, nullableText, type Row } from './row.js';

/** A `refresh_families` row (both adapters). */
export function refreshFamilyFromRow(row: Row): RefreshFamily {
  const createdAt = Number(row.created_at);
  return {
    id: String(row.id),
    clientId: String(row.client_id),
    userId: String(row.user_id),
    scope: String(row.scope),
    rotationKey: String(row.rotation_key),
    createdAt,
    revokedAt: nullableNumber(row.revoked_at),
    // Families from before migration 007 were last used (as far as anyone knows) at creation.
    lastUsedAt: nullableNumber(row.last_used_at) ?? createdAt,
    lastUsedFrom:
      row.ip === null ? null : { ip: String(row.ip), userAgent: nullableText(row.user_agent) },
  };
}

/** A `refresh_tokens` row joined with its family. */
export function refreshTokenFromRow(row: Row): RefreshTokenRecord {
  return {
    tokenHash: String(row.token_hash),
    issuedAt: Number(row.issued_at),
    rotatedAt: nullableNumber(row.rotated_at),
    successorHash: nullableText(row.successor_hash),
    family: refreshFamilyFromRow(row),
  };
}
