import type { DeviceAuthorizationStore } from '../../oauth/device/device-authorization-store.js';
import { deviceAuthorizationFromRow } from '../rows/device-row.js';
import type { Database } from './postgres-pool.js';

/**
 * Device authorizations in PostgreSQL (table `device_authorizations`): a code started through
 * one replica is approved and redeemed through any; each decision and redemption is one
 * conditional UPDATE, so two replicas racing get one winner.
 *
 * @example
 * const devices = createPostgresDeviceAuthorizationStore(db);
 */
export function createPostgresDeviceAuthorizationStore(db: Database): DeviceAuthorizationStore {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query(sql, params);
    return row ? deviceAuthorizationFromRow(row) : undefined;
  };
  const byHash = (hash: string) =>
    one('SELECT * FROM device_authorizations WHERE device_code_hash = $1', [hash]);
  return {
    create: async (a) =>
      (await db.execute(
        `INSERT INTO device_authorizations (device_code_hash, user_code, client_id, scope,
           status, interval_seconds, created_at, expires_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) ON CONFLICT DO NOTHING`,
        [a.deviceCodeHash, a.userCode, a.clientId, a.scope, a.interval, a.createdAt, a.expiresAt],
      )) === 1,
    findByDeviceCode: byHash,
    findPending: (userCode, now) =>
      one(
        `SELECT * FROM device_authorizations
         WHERE user_code = $1 AND status = 'pending' AND expires_at > $2`,
        [userCode, now],
      ),
    decide: async (userCode, decision, userId, now) =>
      (await db.execute(
        `UPDATE device_authorizations SET status = $1, user_id = $2
         WHERE user_code = $3 AND status = 'pending' AND expires_at > $4`,
        [decision, userId, userCode, now],
      )) === 1,
    async poll(hash, at, judge) {
      const found = await byHash(hash);
      const interval = found && judge(found);
      if (interval !== undefined) {
        await db.execute(
          `UPDATE device_authorizations SET last_polled_at = $1, interval_seconds = $2
           WHERE device_code_hash = $3`,
          [at, interval, hash],
        );
      }
      return found;
    },
    consume: async (hash) =>
      (await db.execute(
        `UPDATE device_authorizations SET status = 'used'
         WHERE device_code_hash = $1 AND status = 'approved'`,
        [hash],
      )) === 1,
    endApprovedOfUser: (userId) =>
      db.execute(
        `UPDATE device_authorizations SET status = 'denied'
         WHERE user_id = $1 AND status = 'approved'`,
        [userId],
      ),
    purgeExpired: (now) =>
      db.execute('DELETE FROM device_authorizations WHERE expires_at <= $1', [now]),
  };
}
