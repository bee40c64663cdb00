import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type { DeviceAuthorizationStore } from '../../oauth/device/device-authorization-store.js';
import { deviceAuthorizationFromRow } from '../rows/device-row.js';
import { sqliteTransaction } from './sqlite-transaction.js';

/**
 * Device authorizations over the embedded database (table `device_authorizations`).
 *
 * @example
 * const devices = createSqliteDeviceAuthorizationStore(openDatabase(dataDir));
 */
export function createSqliteDeviceAuthorizationStore(db: DatabaseSync): DeviceAuthorizationStore {
  const insert = db.prepare(
    `INSERT INTO device_authorizations (device_code_hash, user_code, client_id, scope, status,
       interval_seconds, created_at, expires_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const byHash = db.prepare('SELECT * FROM device_authorizations WHERE device_code_hash = ?');
  const pending = db.prepare(
    `SELECT * FROM device_authorizations
     WHERE user_code = ? AND status = 'pending' AND expires_at > ?`,
  );
  const decide = db.prepare(
    `UPDATE device_authorizations SET status = ?, user_id = ?
     WHERE user_code = ? AND status = 'pending' AND expires_at > ?`,
  );
  const poll = db.prepare(
    'UPDATE device_authorizations SET last_polled_at = ?, interval_seconds = ? WHERE device_code_hash = ?',
  );
  const consume = db.prepare(
    `UPDATE device_authorizations SET status = 'used'
     WHERE device_code_hash = ? AND status = 'approved'`,
  );
  const endApproved = db.prepare(
    `UPDATE device_authorizations SET status = 'denied' WHERE user_id = ? AND status = 'approved'`,
  );
  const purge = db.prepare('DELETE FROM device_authorizations WHERE expires_at <= ?');
  const one = (row: Record<string, SQLOutputValue> | undefined) =>
    row ? deviceAuthorizationFromRow(row) : undefined;

  return {
    create: async (a) =>
      insert.run(
        a.deviceCodeHash,
        a.userCode,
        a.clientId,
        a.scope,
        a.interval,
        a.createdAt,
        a.expiresAt,
      ).changes === 1,
    findByDeviceCode: async (hash) => one(byHash.get(hash)),
    findPending: async (userCode, now) => one(pending.get(userCode, now)),
    decide: async (userCode, decision, userId, now) =>
      decide.run(decision, userId, userCode, now).changes === 1,
    // Read and written under one lock: a poll is the device flow's most frequent request.
    poll: async (hash, at, judge) =>
      sqliteTransaction(db, () => {
        const found = one(byHash.get(hash));
        const interval = found && judge(found);
        if (interval !== undefined) poll.run(at, interval, hash);
        return found;
      }),
    consume: async (hash) => consume.run(hash).changes === 1,
    endApprovedOfUser: async (userId) => Number(endApproved.run(userId).changes),
    purgeExpired: async (now) => Number(purge.run(now).changes),
  };
}
