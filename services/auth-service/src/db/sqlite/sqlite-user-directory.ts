import { randomUUID } from 'node:crypto';
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import { normalizeEmail, type UserDirectory } from '../../users/user-directory.js';
import { unionOfRoles, userFromRow } from '../rows/user-row.js';

/**
 * The user directory over the embedded database (table `users`).
 *
 * @example
 * const directory = createSqliteUserDirectory(openDatabase(dataDir));
 * await directory.preRegister('ada@example.com', ['admin'], Date.now());
 */
export function createSqliteUserDirectory(db: DatabaseSync): UserDirectory {
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const bySubject = db.prepare('SELECT * FROM users WHERE issuer = ? AND subject = ?');
  const all = db.prepare('SELECT * FROM users ORDER BY email');
  const insert = db.prepare(
    `INSERT INTO users (id, issuer, subject, email, name, picture, roles, registered, created_at,
       last_sign_in_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateSignIn = db.prepare(
    `UPDATE users SET issuer = ?, subject = ?, email = ?, name = ?, picture = ?,
       last_sign_in_at = ? WHERE id = ?`,
  );
  const updateRoles = db.prepare('UPDATE users SET roles = ? WHERE id = ?');
  const updateDisabled = db.prepare('UPDATE users SET disabled = ? WHERE id = ?');
  const updateRegistered = db.prepare('UPDATE users SET registered = 1 WHERE id = ?');
  const deleteById = db.prepare('DELETE FROM users WHERE id = ?');

  const one = (row: Record<string, SQLOutputValue> | undefined) =>
    row ? userFromRow(row) : undefined;
  const findByEmail = (email: string) => one(byEmail.get(normalizeEmail(email)));

  return {
    findById: async (id) => one(byId.get(id)),
    findByEmail: async (email) => findByEmail(email),
    findBySubject: async (issuer, subject) => one(bySubject.get(issuer, subject)),
    list: async () => all.all().map(userFromRow),

    async preRegister(email, roles, now) {
      const existing = findByEmail(email);
      if (existing) {
        updateRegistered.run(existing.id);
        updateRoles.run(JSON.stringify(unionOfRoles(existing.roles, roles)), existing.id);
      } else {
        insert.run(
          randomUUID(),
          '',
          null,
          normalizeEmail(email),
          null,
          null,
          JSON.stringify(unionOfRoles([], roles)),
          1,
          now,
          null,
        );
      }
      return findByEmail(email)!;
    },

    async create(identity, now) {
      const id = randomUUID();
      insert.run(
        id,
        identity.issuer,
        identity.subject,
        normalizeEmail(identity.email),
        identity.name,
        identity.picture,
        '[]',
        0,
        now,
        now,
      );
      return one(byId.get(id))!;
    },

    async recordSignIn(id, identity, now) {
      updateSignIn.run(
        identity.issuer,
        identity.subject,
        normalizeEmail(identity.email),
        identity.name,
        identity.picture,
        now,
        id,
      );
      return one(byId.get(id))!;
    },

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
