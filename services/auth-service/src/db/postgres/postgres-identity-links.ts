import type { Identity, UserDirectory } from '../../users/user-directory.js';
import { normalizeEmail } from '../../users/user-directory.js';
import { identityFromRow } from '../rows/identity-row.js';
import { unionOfRoles } from '../rows/user-row.js';
import type { Database } from './postgres-pool.js';

/** The identity half of the PostgreSQL user directory (table `identities`). */
export type PostgresIdentityLinks = Pick<
  UserDirectory,
  | 'identities'
  | 'link'
  | 'unlink'
  | 'setMappedRoles'
  | 'providerCredential'
  | 'setProviderCredential'
>;

/** An identity's columns in INSERT order, from $1: provider, subject, user, issuer, email. */
export function identityValues(userId: string, identity: Identity): unknown[] {
  const email = identity.email === null ? null : normalizeEmail(identity.email);
  return [identity.provider, identity.subject, userId, identity.issuer, email];
}

export function postgresIdentityLinks(db: Database): PostgresIdentityLinks {
  const ofUser =
    'SELECT * FROM identities WHERE user_id = $1 ORDER BY linked_at, provider, subject';

  const link: PostgresIdentityLinks['link'] = async (id, identity, now) => {
    // The primary key decides between replicas linking the same identity: one inserts, the
    // other finds it held.
    const [inserted] = await db.query(
      `INSERT INTO identities (provider, subject, user_id, issuer, email, linked_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (provider, subject) DO NOTHING
       RETURNING user_id`,
      [...identityValues(id, identity), now],
    );
    if (inserted) return 'linked';
    const [held] = await db.query(
      'SELECT user_id FROM identities WHERE provider = $1 AND subject = $2',
      [identity.provider, identity.subject],
    );
    // Unlinked between the two statements: it is free again.
    if (!held) return link(id, identity, now);
    return held.user_id === id ? 'already' : 'taken';
  };

  return {
    identities: async (userId) => (await db.query(ofUser, [userId])).map(identityFromRow),
    link,

    unlink: (id, provider, subject) =>
      db.transaction(async (query) => {
        // Unlinks of one user wait for each other, so two can never take away both of the
        // last two identities.
        await query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [id]);
        const linked = (await query(ofUser, [id])).map(identityFromRow);
        const target = linked.find((i) => i.provider === provider && i.subject === subject);
        if (!target) return 'unknown';
        if (linked.length === 1) return 'last';
        await query('DELETE FROM identities WHERE provider = $1 AND subject = $2', [
          provider,
          subject,
        ]);
        // users.issuer/subject name the latest sign-in's identity; once that one is unlinked
        // they name the most recently used one left, so they never hold an identity another
        // user may link next (the pair is UNIQUE).
        await query(
          `UPDATE users SET (issuer, subject) = (SELECT issuer, subject FROM identities
             WHERE user_id = users.id
             ORDER BY last_sign_in_at DESC NULLS LAST, linked_at DESC LIMIT 1)
           WHERE id = $1 AND issuer = $2 AND subject = $3`,
          [id, target.issuer, target.subject],
        );
        return 'unlinked';
      }),

    async setMappedRoles(provider, subject, roles) {
      await db.execute(
        'UPDATE identities SET mapped_roles = $1 WHERE provider = $2 AND subject = $3',
        [JSON.stringify(unionOfRoles([], roles)), provider, subject],
      );
    },

    async providerCredential(provider, subject) {
      const [row] = await db.query(
        'SELECT provider_credential FROM identities WHERE provider = $1 AND subject = $2',
        [provider, subject],
      );
      return typeof row?.provider_credential === 'string' ? row.provider_credential : null;
    },

    async setProviderCredential(provider, subject, sealed, expected) {
      // IS NOT DISTINCT FROM compares NULL as a value: expecting none matches a row without one.
      const changed = await (expected === undefined
        ? db.execute(
            'UPDATE identities SET provider_credential = $1 WHERE provider = $2 AND subject = $3',
            [sealed, provider, subject],
          )
        : db.execute(
            `UPDATE identities SET provider_credential = $1 WHERE provider = $2 AND subject = $3
               AND provider_credential IS NOT DISTINCT FROM $4`,
            [sealed, provider, subject, expected],
          ));
      return changed === 1;
    },
  };
}
