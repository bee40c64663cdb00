import {
  BuiltInClientError,
  ClientExistsError,
  type ClientRegistry,
} from '../../oauth/clients/client.js';
import { clientFromRow, secretHashesFromRow } from '../rows/client-row.js';
import { prepared, type Database } from './postgres-pool.js';

/**
 * The read of every client-authenticated request, prepared once per connection: the columns
 * clientFromRow and secretHashesFromRow read, by name (never `*`, postgres-pool.ts).
 */
const BY_CLIENT_ID = prepared(
  `SELECT client_id, name, type, grant_types, scopes, refresh_idle_ttl, refresh_absolute_ttl,
     built_in, grant_id, secret_hash, previous_secret_hash, previous_secret_expires_at
   FROM clients WHERE client_id = $1`,
);

/**
 * The client registry in PostgreSQL (table `clients`), so a client added, rotated or removed
 * through the CLI on any replica is seen by all.
 *
 * @example
 * const clients = createPostgresClientRegistry(db);
 * (await clients.find('gatehouse-cli'))?.grantTypes;
 */
export function createPostgresClientRegistry(db: Database): ClientRegistry {
  const row = async (clientId: string) => (await db.query(BY_CLIENT_ID, [clientId]))[0];
  const find = async (clientId: string) => {
    const found = await row(clientId);
    return found ? clientFromRow(found) : undefined;
  };
  return {
    find,
    list: async () =>
      (await db.query('SELECT * FROM clients ORDER BY client_id')).map(clientFromRow),
    async add(client, now) {
      const confidential = client.type === 'confidential';
      const [added] = await db.query(
        `INSERT INTO clients (client_id, name, type, grant_types, scopes, refresh_idle_ttl,
           refresh_absolute_ttl, built_in, created_at, secret_hash, grant_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $9, $10)
         ON CONFLICT (client_id) DO NOTHING RETURNING *`,
        [
          client.clientId,
          client.name,
          client.type ?? 'public',
          JSON.stringify([...client.grantTypes]),
          JSON.stringify([...client.scopes]),
          client.refreshIdleTtl,
          client.refreshAbsoluteTtl,
          now,
          confidential ? client.secretHash : null,
          confidential ? client.grantId : null,
        ],
      );
      if (!added) throw new ClientExistsError(client.clientId);
      return clientFromRow(added);
    },
    async remove(clientId) {
      const existing = await find(clientId);
      if (!existing) return false;
      if (existing.builtIn) throw new BuiltInClientError(clientId);
      return (
        (await db.execute('DELETE FROM clients WHERE client_id = $1 AND NOT built_in', [
          clientId,
        ])) === 1
      );
    },
    secretHashes: async (clientId) => secretHashesFromRow(await row(clientId)),
    async findWithSecretHashes(clientId) {
      const found = await row(clientId);
      return found && { client: clientFromRow(found), secretHashes: secretHashesFromRow(found) };
    },
    async replaceSecret(clientId, secretHash, previousExpiresAt) {
      const changed = await db.execute(
        `UPDATE clients SET
           previous_secret_hash = CASE WHEN $1::BIGINT IS NULL THEN NULL ELSE secret_hash END,
           previous_secret_expires_at = $1, secret_hash = $2
         WHERE client_id = $3 AND type = 'confidential'`,
        [previousExpiresAt, secretHash, clientId],
      );
      return changed === 1;
    },
  };
}
