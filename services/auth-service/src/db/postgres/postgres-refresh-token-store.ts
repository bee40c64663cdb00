import type { RefreshTokenStore } from '../../oauth/refresh/refresh-token-store.js';
import { refreshFamilyFromRow, refreshTokenFromRow } from '../rows/refresh-row.js';
import type { Database, Query } from './postgres-pool.js';

const SELECT_TOKEN = `SELECT t.token_hash, t.issued_at, t.rotated_at, t.successor_hash, f.id,
    f.client_id, f.user_id, f.scope, f.rotation_key, f.created_at, f.revoked_at, f.last_used_at,
    f.ip, f.user_agent
  FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
  WHERE t.token_hash = $1`;

// Live: what the refresh grant would still accept (refresh-tokens.ts), by the same lifetimes.
const LIVE_OF_USER = `SELECT f.* FROM refresh_families f JOIN clients c ON c.client_id = f.client_id
  WHERE f.user_id = $1 AND f.revoked_at IS NULL
    AND f.created_at + c.refresh_absolute_ttl * 1000 > $2
    AND EXISTS (SELECT 1 FROM refresh_tokens t
      WHERE t.family_id = f.id AND t.rotated_at IS NULL
        AND t.issued_at + c.refresh_idle_ttl * 1000 > $2)
  ORDER BY coalesce(f.last_used_at, f.created_at) DESC, f.id`;

const REVOKE = `UPDATE refresh_families SET revoked_at = $1, revoked_reason = $2
  WHERE id = $3 AND revoked_at IS NULL`;

/**
 * Refresh tokens in PostgreSQL (tables `refresh_families`, `refresh_tokens`). Rotation is a
 * conditional UPDATE inside a transaction: when two replicas present the same token at once,
 * the second waits for the first's commit, finds it rotated and loses (reuse detection).
 *
 * @example
 * const refreshTokens = createPostgresRefreshTokenStore(db);
 */
export function createPostgresRefreshTokenStore(db: Database): RefreshTokenStore {
  const insertToken = (query: Query, hash: string, familyId: string, at: number) =>
    query('INSERT INTO refresh_tokens (token_hash, family_id, issued_at) VALUES ($1, $2, $3)', [
      hash,
      familyId,
      at,
    ]);
  return {
    async createFamily(family, firstTokenHash) {
      await db.transaction(async (query) => {
        await query(
          `INSERT INTO refresh_families (id, client_id, user_id, scope, rotation_key, created_at,
             last_used_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            family.id,
            family.clientId,
            family.userId,
            family.scope,
            family.rotationKey,
            family.createdAt,
            family.lastUsedAt,
            family.lastUsedFrom?.ip ?? null,
            family.lastUsedFrom?.userAgent ?? null,
          ],
        );
        await insertToken(query, firstTokenHash, family.id, family.createdAt);
      });
    },
    async find(tokenHash) {
      const [row] = await db.query(SELECT_TOKEN, [tokenHash]);
      return row ? refreshTokenFromRow(row) : undefined;
    },
    async rotate(tokenHash, successorHash, at, from) {
      return db.transaction(async (query) => {
        const [marked] = await query(
          `UPDATE refresh_tokens SET rotated_at = $1, successor_hash = $2
           WHERE token_hash = $3 AND rotated_at IS NULL RETURNING family_id`,
          [at, successorHash, tokenHash],
        );
        if (!marked) return false;
        const familyId = String(marked.family_id);
        await insertToken(query, successorHash, familyId, at);
        await query(
          'UPDATE refresh_families SET last_used_at = $1, ip = $2, user_agent = $3 WHERE id = $4',
          [at, from.ip, from.userAgent, familyId],
        );
        return true;
      });
    },
    async revokeFamily(familyId, at, reason) {
      await db.execute(REVOKE, [at, reason, familyId]);
    },
    async purgeEnded(endedBy) {
      // Tokens go with their family (ON DELETE CASCADE). A family whose client was removed is
      // kept: its lifetimes are unknown until a client is registered under that id again.
      return db.execute(
        `DELETE FROM refresh_families WHERE revoked_at <= $1 OR id IN (
           SELECT f.id FROM refresh_families f JOIN clients c ON c.client_id = f.client_id
           WHERE f.created_at + c.refresh_absolute_ttl * 1000 <= $1
             OR EXISTS (SELECT 1 FROM refresh_tokens t
               WHERE t.family_id = f.id AND t.rotated_at IS NULL
                 AND t.issued_at + c.refresh_idle_ttl * 1000 <= $1))`,
        [endedBy],
      );
    },
    async listLiveOfUser(userId, at) {
      return (await db.query(LIVE_OF_USER, [userId, at])).map(refreshFamilyFromRow);
    },
    async revokeAllOfUser(userId, at, reason) {
      return db.transaction(async (query) => {
        const ids = (await query(LIVE_OF_USER, [userId, at])).map((row) => String(row.id));
        for (const id of ids) await query(REVOKE, [at, reason, id]);
        return ids;
      });
    },
  };
}
