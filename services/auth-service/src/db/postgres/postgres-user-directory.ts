import { randomUUID } from 'node:crypto';
import { IdentityTakenError } from '../../users/identity-taken-error.js';
import { normalizeEmail, type UserDirectory } from '../../users/user-directory.js';
import { requiredEmail, unionOfRoles, userFromRow } from '../rows/user-row.js';
import { identityValues, postgresIdentityLinks } from './postgres-identity-links.js';
import { prepared, type Database, type Statement } from './postgres-pool.js';

/**
 * Every linked identity's mapped roles as one JSON array, for the user row in scope: userFromRow
 * unites them with the directory roles (`users.roles`) into the effective roles. A subquery, so
 * findById (every token refresh) stays one round trip.
 */
const MAPPED_ROLES = `(SELECT COALESCE(json_agg(role.name), '[]')::text
    FROM identities, json_array_elements_text(identities.mapped_roles::json) AS role(name)
    WHERE identities.user_id = users.id) AS mapped_roles`;
/**
 * What userFromRow reads of the `users` row in scope, by name (prepared statements never say
 * `*`, postgres-pool.ts), with its mapped roles: also the session store's read of a session's
 * user (postgres-session-store.ts).
 */
export const USER_COLUMNS = `users.id, users.issuer, users.subject, users.email, users.name,
  users.picture, users.roles, users.disabled, users.registered, users.created_at,
  users.last_sign_in_at, ${MAPPED_ROLES}`;
const SELECT_USER = `SELECT ${USER_COLUMNS} FROM users`;
/** The reads of every request (findById) and of every sign-in, prepared once per connection. */
const BY_ID = prepared(`${SELECT_USER} WHERE users.id = $1`);
const BY_EMAIL = prepared(`${SELECT_USER} WHERE users.email = $1`);
const BY_IDENTITY = prepared(
  `${SELECT_USER} WHERE users.id =
     (SELECT user_id FROM identities WHERE provider = $1 AND subject = $2)`,
);

/**
 * The user directory in PostgreSQL (tables `users`, `identities`), shared by every replica: a
 * user disabled or given a role through any of them is read so by all on their next request.
 *
 * @example
 * const directory = createPostgresUserDirectory(db);
 * await directory.preRegister('ada@example.com', ['admin'], Date.now());
 */
export function createPostgresUserDirectory(db: Database): UserDirectory {
  const one = async (sql: Statement, params: unknown[]) => {
    const [row] = await db.query(sql, params);
    return row ? userFromRow(row) : undefined;
  };
  const byId = (id: string) => one(BY_ID, [id]);
  const links = postgresIdentityLinks(db);

  return {
    findById: byId,
    findByEmail: (email) => one(BY_EMAIL, [normalizeEmail(email)]),
    findByIdentity: (provider, subject) => one(BY_IDENTITY, [provider, subject]),
    identities: links.identities,
    list: async () => (await db.query(`${SELECT_USER} ORDER BY users.email`)).map(userFromRow),

    async preRegister(email, roles, now) {
      // One statement, so two replicas pre-registering the same address both end with one row
      // holding the union of their directory roles.
      const [row] = await db.query(
        `INSERT INTO users (id, issuer, subject, email, roles, registered, created_at)
         VALUES ($1, '', NULL, $2, $3, TRUE, $4)
         ON CONFLICT (email) DO UPDATE SET registered = TRUE,
           roles = (SELECT COALESCE(json_agg(r ORDER BY r), '[]')::text FROM (
             SELECT json_array_elements_text(users.roles::json) AS r
             UNION SELECT json_array_elements_text(excluded.roles::json)) AS merged)
         RETURNING users.*, ${MAPPED_ROLES}`,
        [randomUUID(), normalizeEmail(email), JSON.stringify(unionOfRoles([], roles)), now],
      );
      return userFromRow(row!);
    },

    async create(identity, now) {
      const id = randomUUID();
      const email = requiredEmail(identity);
      // The entry starts unclaimed, so the identity's primary key alone decides between
      // replicas creating for one identity: the one that finds it linked rolls back.
      await db.transaction(async (query) => {
        await query(
          `INSERT INTO users (id, email, name, picture, created_at, last_sign_in_at)
           VALUES ($1, $2, $3, $4, $5, $5)`,
          [id, email, identity.name, identity.picture, now],
        );
        const linked = await query(
          `INSERT INTO identities (provider, subject, user_id, issuer, email, linked_at,
             last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
           ON CONFLICT (provider, subject) DO NOTHING RETURNING user_id`,
          [...identityValues(id, identity), now],
        );
        if (linked.length === 0) throw new IdentityTakenError(identity.provider, identity.subject);
        await query('UPDATE users SET issuer = $2, subject = $3 WHERE id = $1', [
          id,
          identity.issuer,
          identity.subject,
        ]);
      });
      return (await byId(id))!;
    },

    async recordSignIn(id, identity, now) {
      // One statement: the identity is linked (or refreshed when it is this user's), and only
      // then the user updated. Another user's identity is left alone by the WHERE, so nothing
      // is updated: taken, however replicas race. The mapped roles read are those before the
      // statement, which linking (mapped roles '[]') does not change.
      const [row] = await db.query(
        `WITH linked AS (
           INSERT INTO identities (provider, subject, user_id, issuer, email, linked_at,
             last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
           ON CONFLICT (provider, subject) DO UPDATE SET issuer = excluded.issuer,
             email = excluded.email, last_sign_in_at = excluded.last_sign_in_at
             WHERE identities.user_id = excluded.user_id
           RETURNING user_id)
         UPDATE users SET issuer = $4, subject = $2, email = COALESCE($5, users.email),
           name = $7, picture = $8, last_sign_in_at = $6
         FROM linked WHERE users.id = linked.user_id
         RETURNING users.*, ${MAPPED_ROLES}`,
        [...identityValues(id, identity), now, identity.name, identity.picture],
      );
      if (!row) throw new IdentityTakenError(identity.provider, identity.subject);
      return userFromRow(row);
    },

    link: links.link,
    unlink: links.unlink,
    setMappedRoles: links.setMappedRoles,
    providerCredential: links.providerCredential,
    setProviderCredential: links.setProviderCredential,
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
