import { randomUUID } from 'node:crypto';
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { IdentityTakenError } from '../../users/identity-taken-error.js';
import { normalizeEmail, type Identity, type UserDirectory } from '../../users/user-directory.js';
import { requiredEmail, unionOfRoles, userFromRow } from '../rows/user-row.js';
import { sqliteIdentityLinks } from './sqlite-identity-links.js';
import { sqliteTransaction } from './sqlite-transaction.js';

/**
 * A user with `mapped_roles`: every linked identity's mapped roles as one JSON array, which
 * userFromRow unites with the directory roles (`users.roles`) into the effective roles. Also
 * the session store's read of a session's user (sqlite-session-store.ts).
 */
export const USER_COLUMNS = `users.*, (SELECT json_group_array(role.value)
    FROM identities, json_each(identities.mapped_roles) AS role
    WHERE identities.user_id = users.id) AS mapped_roles`;
const SELECT_USER = `SELECT ${USER_COLUMNS} FROM users`;

/**
 * The user directory over the embedded database (tables `users`, `identities`).
 *
 * @example
 * const directory = createSqliteUserDirectory(openDatabase(dataDir));
 * await directory.preRegister('ada@example.com', ['admin'], Date.now());
 */
export function createSqliteUserDirectory(db: DatabaseSync): UserDirectory {
  const byId = db.prepare(`${SELECT_USER} WHERE users.id = ?`);
  const byEmail = db.prepare(`${SELECT_USER} WHERE users.email = ?`);
  const byIdentity = db.prepare(
    `${SELECT_USER} WHERE users.id =
       (SELECT user_id FROM identities WHERE provider = ? AND subject = ?)`,
  );
  const all = db.prepare(`${SELECT_USER} ORDER BY users.email`);
  const insert = db.prepare(
    `INSERT INTO users (id, issuer, subject, email, name, picture, roles, registered, created_at,
       last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // A sign-in without a verified email keeps the entry's (COALESCE).
  const updateSignIn = db.prepare(
    `UPDATE users SET issuer = ?, subject = ?, email = COALESCE(?, email), name = ?,
       picture = ?, last_sign_in_at = ? WHERE id = ?`,
  );
  const updateRoles = db.prepare('UPDATE users SET roles = ? WHERE id = ?');
  const updateDisabled = db.prepare('UPDATE users SET disabled = ? WHERE id = ?');
  const updateRegistered = db.prepare('UPDATE users SET registered = 1 WHERE id = ?');
  const deleteById = db.prepare('DELETE FROM users WHERE id = ?');
  const links = sqliteIdentityLinks(db);

  const one = (row: Record<string, SQLOutputValue> | undefined) =>
    row ? userFromRow(row) : undefined;
  const findById = (id: string) => one(byId.get(id));
  const findByEmail = (email: string) => one(byEmail.get(normalizeEmail(email)));
  const taken = (identity: Identity) => new IdentityTakenError(identity.provider, identity.subject);

  return {
    findById: async (id) => findById(id),
    findByEmail: async (email) => findByEmail(email),
    findByIdentity: async (provider, subject) => one(byIdentity.get(provider, subject)),
    identities: links.identities,
    list: async () => all.all().map(userFromRow),

    async preRegister(email, roles, now) {
      const existing = findByEmail(email);
      if (existing) {
        updateRegistered.run(existing.id);
        updateRoles.run(JSON.stringify(unionOfRoles(existing.directoryRoles, roles)), existing.id);
      } else {
        const sorted = JSON.stringify(unionOfRoles([], roles));
        insert.run(randomUUID(), '', null, normalizeEmail(email), null, null, sorted, 1, now, null);
      }
      return findByEmail(email)!;
    },

    async create(identity, now) {
      const email = requiredEmail(identity);
      const id = randomUUID();
      sqliteTransaction(db, () => {
        if (byIdentity.get(identity.provider, identity.subject)) throw taken(identity);
        const { issuer, subject, name, picture } = identity;
        insert.run(id, issuer, subject, email, name, picture, '[]', 0, now, now);
        links.signIn(id, identity, now);
      });
      return findById(id)!;
    },

    async recordSignIn(id, identity, now) {
      sqliteTransaction(db, () => {
        if (!links.signIn(id, identity, now)) throw taken(identity);
        const email = identity.email === null ? null : normalizeEmail(identity.email);
        const { issuer, subject, name, picture } = identity;
        updateSignIn.run(issuer, subject, email, name, picture, now, id);
      });
      return findById(id)!;
    },

    link: links.link,
    unlink: links.unlink,
    setMappedRoles: links.setMappedRoles,
    providerCredential: links.providerCredential,
    setProviderCredential: links.setProviderCredential,
    async setRoles(id, roles) {
      updateRoles.run(JSON.stringify(unionOfRoles([], roles)), id);
    },
    async setDisabled(id, disabled) {
      updateDisabled.run(disabled ? 1 : 0, id);
    },
    async remove(id) {
      deleteById.run(id);
    },
  };
}
