import type { DatabaseSync } from 'node:sqlite';
import type { Identity, UserDirectory } from '../../users/user-directory.js';
import { normalizeEmail } from '../../users/user-directory.js';
import { identityFromRow } from '../rows/identity-row.js';
import { unionOfRoles } from '../rows/user-row.js';
import { sqliteTransaction } from './sqlite-transaction.js';

/** The identity half of the SQLite user directory (table `identities`). */
export type SqliteIdentityLinks = Pick<
  UserDirectory,
  | 'identities'
  | 'link'
  | 'unlink'
  | 'setMappedRoles'
  | 'providerCredential'
  | 'setProviderCredential'
> & {
  /**
   * Inside the caller's transaction: links `identity` to `userId`, or refreshes its issuer,
   * email and last sign-in when it is that user's already. False when another user holds it.
   */
  signIn(userId: string, identity: Identity, now: number): boolean;
};

export function sqliteIdentityLinks(db: DatabaseSync): SqliteIdentityLinks {
  const ofUser = db.prepare(
    'SELECT * FROM identities WHERE user_id = ? ORDER BY linked_at, provider, subject',
  );
  const owner = db.prepare('SELECT user_id FROM identities WHERE provider = ? AND subject = ?');
  const insert = db.prepare(
    `INSERT INTO identities (provider, subject, user_id, issuer, email, linked_at,
       last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  // The WHERE leaves an identity another user holds untouched: no change means taken.
  const upsert = db.prepare(
    `INSERT INTO identities (provider, subject, user_id, issuer, email, linked_at,
       last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (provider, subject) DO UPDATE SET issuer = excluded.issuer,
       email = excluded.email, last_sign_in_at = excluded.last_sign_in_at
       WHERE identities.user_id = excluded.user_id`,
  );
  const remove = db.prepare('DELETE FROM identities WHERE provider = ? AND subject = ?');
  // users.issuer/subject name the latest sign-in's identity; once that one is unlinked they
  // name the most recently used one left, so they never hold an identity another user may
  // link next (the pair is UNIQUE).
  const renameLatest = db.prepare(
    `UPDATE users SET (issuer, subject) = (SELECT issuer, subject FROM identities
       WHERE user_id = users.id ORDER BY last_sign_in_at DESC NULLS LAST, linked_at DESC LIMIT 1)
     WHERE id = ? AND issuer = ? AND subject = ?`,
  );
  const updateMapped = db.prepare(
    'UPDATE identities SET mapped_roles = ? WHERE provider = ? AND subject = ?',
  );
  const credential = db.prepare(
    'SELECT provider_credential FROM identities WHERE provider = ? AND subject = ?',
  );
  const updateCredential = db.prepare(
    'UPDATE identities SET provider_credential = ? WHERE provider = ? AND subject = ?',
  );
  // `IS` compares NULL as a value: expecting none matches a row without a credential.
  const replaceCredential = db.prepare(
    `UPDATE identities SET provider_credential = ?
     WHERE provider = ? AND subject = ? AND provider_credential IS ?`,
  );

  const values = (userId: string, identity: Identity, now: number, lastSignInAt: number | null) =>
    [
      identity.provider,
      identity.subject,
      userId,
      identity.issuer,
      identity.email === null ? null : normalizeEmail(identity.email),
      now,
      lastSignInAt,
    ] as const;

  return {
    identities: async (userId) => ofUser.all(userId).map(identityFromRow),
    signIn: (userId, identity, now) =>
      Number(upsert.run(...values(userId, identity, now, now)).changes) === 1,

    async link(id, identity, now) {
      return sqliteTransaction(db, () => {
        const held = owner.get(identity.provider, identity.subject);
        if (held) return String(held.user_id) === id ? 'already' : 'taken';
        insert.run(...values(id, identity, now, null));
        return 'linked';
      });
    },

    async unlink(id, provider, subject) {
      return sqliteTransaction(db, () => {
        const linked = ofUser.all(id).map(identityFromRow);
        const target = linked.find((i) => i.provider === provider && i.subject === subject);
        if (!target) return 'unknown';
        if (linked.length === 1) return 'last';
        remove.run(provider, subject);
        renameLatest.run(id, target.issuer, target.subject);
        return 'unlinked';
      });
    },

    async setMappedRoles(provider, subject, roles) {
      updateMapped.run(JSON.stringify(unionOfRoles([], roles)), provider, subject);
    },

    async providerCredential(provider, subject) {
      const value = credential.get(provider, subject)?.provider_credential;
      return typeof value === 'string' ? value : null;
    },

    async setProviderCredential(provider, subject, sealed, expected) {
      const result =
        expected === undefined
          ? updateCredential.run(sealed, provider, subject)
          : replaceCredential.run(sealed, provider, subject, expected);
      return Number(result.changes) === 1;
    },
  };
}
