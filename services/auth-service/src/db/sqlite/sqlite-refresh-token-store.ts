import type { DatabaseSync } from 'node:sqlite';
import type { RefreshTokenStore } from '../../oauth/refresh/refresh-token-store.js';
import { refreshFamilyFromRow, refreshTokenFromRow } from '../rows/refresh-row.js';
import { sqliteTransaction } from './sqlite-transaction.js';

/**
 * Refresh tokens over the embedded database (tables `refresh_families`, `refresh_tokens`).
 *
 * @example
 * const refreshTokens = createSqliteRefreshTokenStore(openDatabase(dataDir));
 */
export function createSqliteRefreshTokenStore(db: DatabaseSync): RefreshTokenStore {
  const insertFamily = db.prepare(
    `INSERT INTO refresh_families (id, client_id, user_id, scope, rotation_key, created_at,
       last_used_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertToken = db.prepare(
    'INSERT INTO refresh_tokens (token_hash, family_id, issued_at) VALUES (?, ?, ?)',
  );
  const select = db.prepare(
    `SELECT t.token_hash, t.issued_at, t.rotated_at, t.successor_hash, f.id, f.client_id,
       f.user_id, f.scope, f.rotation_key, f.created_at, f.revoked_at, f.last_used_at, f.ip,
       f.user_agent
     FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
     WHERE t.token_hash = ?`,
  );
  // The family comes back from the UPDATE itself: no second lookup of the token per rotation.
  const markRotated = db.prepare(
    `UPDATE refresh_tokens SET rotated_at = ?, successor_hash = ?
     WHERE token_hash = ? AND rotated_at IS NULL RETURNING family_id`,
  );
  const recordUse = db.prepare(
    'UPDATE refresh_families SET last_used_at = ?, ip = ?, user_agent = ? WHERE id = ?',
  );
  // Live: what the refresh grant would still accept (refresh-tokens.ts), by the same lifetimes.
  const liveOfUser = db.prepare(
    `SELECT f.* FROM refresh_families f JOIN clients c ON c.client_id = f.client_id
     WHERE f.user_id = :userId AND f.revoked_at IS NULL
       AND f.created_at + c.refresh_absolute_ttl * 1000 > :at
       AND EXISTS (SELECT 1 FROM refresh_tokens t
         WHERE t.family_id = f.id AND t.rotated_at IS NULL
           AND t.issued_at + c.refresh_idle_ttl * 1000 > :at)
     ORDER BY coalesce(f.last_used_at, f.created_at) DESC, f.id`,
  );
  const revoke = db.prepare(
    `UPDATE refresh_families SET revoked_at = ?, revoked_reason = ?
     WHERE id = ? AND revoked_at IS NULL`,
  );
  // Tokens go with their family (ON DELETE CASCADE). A family whose client was removed is
  // kept: its lifetimes are unknown until a client is registered under that id again.
  const purge = db.prepare(
    `DELETE FROM refresh_families WHERE revoked_at <= :endedBy OR id IN (
       SELECT f.id FROM refresh_families f JOIN clients c ON c.client_id = f.client_id
       WHERE f.created_at + c.refresh_absolute_ttl * 1000 <= :endedBy
         OR EXISTS (SELECT 1 FROM refresh_tokens t
           WHERE t.family_id = f.id AND t.rotated_at IS NULL
             AND t.issued_at + c.refresh_idle_ttl * 1000 <= :endedBy))`,
  );

  const transaction = <T>(work: () => T): T => sqliteTransaction(db, work);

  return {
    async createFamily(family, firstTokenHash) {
      transaction(() => {
        insertFamily.run(
          family.id,
          family.clientId,
          family.userId,
          family.scope,
          family.rotationKey,
          family.createdAt,
          family.lastUsedAt,
          family.lastUsedFrom?.ip ?? null,
          family.lastUsedFrom?.userAgent ?? null,
        );
        insertToken.run(firstTokenHash, family.id, family.createdAt);
      });
    },
    async find(tokenHash) {
      const row = select.get(tokenHash);
      return row ? refreshTokenFromRow(row) : undefined;
    },
    async rotate(tokenHash, successorHash, at, from) {
      return transaction(() => {
        const marked = markRotated.get(at, successorHash, tokenHash);
        if (marked === undefined) return false;
        const familyId = String(marked.family_id);
        insertToken.run(successorHash, familyId, at);
        recordUse.run(at, from.ip, from.userAgent, familyId);
        return true;
      });
    },
    async revokeFamily(familyId, at, reason) {
      revoke.run(at, reason, familyId);
    },
    async purgeEnded(endedBy) {
      return Number(purge.run({ endedBy }).changes);
    },
    async listLiveOfUser(userId, at) {
      return liveOfUser.all({ userId, at }).map(refreshFamilyFromRow);
    },
    async revokeAllOfUser(userId, at, reason) {
      return transaction(() => {
        const ids = liveOfUser.all({ userId, at }).map((row) => String(row.id));
        for (const id of ids) revoke.run(at, reason, id);
        return ids;
      });
    },
  };
}
