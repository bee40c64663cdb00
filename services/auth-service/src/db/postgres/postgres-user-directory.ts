import { randomUUID } from 'node:crypto';
import { normalizeEmail, type UserDirectory } from '../../users/user-directory.js';
import { unionOfRoles, userFromRow } from '../rows/user-row.js';
import type { Database } from './postgres-pool.js';

/**
 * The user directory in PostgreSQL (table `users`), shared by every replica: a user disabled
 * or given a role through any of them is read so by all on their next request.
 *
 * @example
 * const directory = createPostgresUserDirectory(db);
 * await directory.preRegister('ada@example.com', ['admin'], Date.now());
 */
export function createPostgresUserDirectory(db: Database): UserDirectory {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query(sql, params);
    return row ? userFromRow(row) : undefined;
  };
  const byId = (id: string) => one('SELECT * FROM users WHERE id = $1', [id]);
  const findByEmail = (email: string) =>
    one('SELECT * FROM users WHERE email = $1', [normalizeEmail(email)]);
  const insert = `INSERT INTO users (id, issuer, subject, email, name, picture, roles, registered,
      created_at, last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

  return {
    findById: byId,
    findByEmail,
    findBySubject: (issuer, subject) =>
      one('SELECT * FROM users WHERE issuer = $1 AND subject = $2', [issuer, subject]),
    list: async () => (await db.query('SELECT * FROM users ORDER BY email')).map(userFromRow),

    async preRegister(email, roles, now) {
      // One statement, so two replicas pre-registering the same address both end with one row
      // holding the union of their roles.
      const [row] = await db.query(
        `INSERT INTO users (id, issuer, subject, email, roles, registered, created_at)
         VALUES ($1, '', NULL, $2, $3, TRUE, $4)
         ON CONFLICT (email) DO UPDATE SET registered = TRUE,
           roles = (SELECT COALESCE(json_agg(r ORDER BY r), '[]')::text FROM (
             SELECT json_array_elements_text(users.roles::json) AS r
             UNION SELECT json_array_elements_text(excluded.roles::json)) AS merged)
         RETURNING *`,
        [randomUUID(), normalizeEmail(email), JSON.stringify(unionOfRoles([], roles)), now],
      );
      return userFromRow(row!);
    },

    async create(identity, now) {
      const id = randomUUID();
      await db.query(insert, [
        id,
        identity.issuer,
        identity.subject,
        normalizeEmail(identity.email),
        identity.name,
        identity.picture,
        '[]',
        false,
        now,
        now,
      ]);
      return (await byId(id))!;
    },

    async recordSignIn(id, identity, now) {
      const [row] = await db.query(
        `UPDATE users SET issuer = $1, subject = $2, email = $3, name = $4, picture = $5,
           last_sign_in_at = $6 WHERE id = $7 RETURNING *`,
        [
          identity.issuer,
          identity.subject,
          normalizeEmail(identity.email),
          identity.name,
          identity.picture,
          now,
          id,
        ],
      );
      return userFromRow(row!);
    },

    async setRoles(id, roles) {
      await db.execute('UPDATE users SET roles = $1 WHERE id = $2', [
        JSON.stringify(unionOfRoles([], roles)),
        id,
      ]);
    },
    async setDisabled(id, disabled) {
      await db.execute('UPDATE users SET disabled = $1 WHERE id = $2', [disabled, id]);
    },
    async remove(id) {
      await db.execute('DELETE FROM users WHERE id = $1', [id]);
    },
  };
}
