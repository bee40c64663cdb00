import type { DatabaseSync } from 'node:sqlite';
import {
  BuiltInClientError,
  ClientExistsError,
  type ClientRegistry,
} from '../../oauth/clients/client.js';
import { clientFromRow, secretHashesFromRow } from '../rows/client-row.js';

/**
 * The client registry over the embedded database (table `clients`, migrations 004 and 008).
 *
 * @example
 * const clients = createSqliteClientRegistry(openDatabase(dataDir));
 * (await clients.find('gatehouse-cli'))?.grantTypes;
 */
export function createSqliteClientRegistry(db: DatabaseSync): ClientRegistry {
  const byId = db.prepare('SELECT * FROM clients WHERE client_id = ?');
  const all = db.prepare('SELECT * FROM clients ORDER BY client_id');
  const insert = db.prepare(
    `INSERT INTO clients (client_id, name, type, grant_types, scopes, refresh_idle_ttl,
       refresh_absolute_ttl, built_in, created_at, secret_hash, grant_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
     ON CONFLICT (client_id) DO NOTHING`,
  );
  const deleteById = db.prepare('DELETE FROM clients WHERE client_id = ? AND built_in = 0');
  const replace = db.prepare(
    `UPDATE clients SET previous_secret_hash = CASE WHEN ? IS NULL THEN NULL ELSE secret_hash END,
       previous_secret_expires_at = ?, secret_hash = ?
     WHERE client_id = ? AND type = 'confidential'`,
  );

  const find = (clientId: string) => {
    const row = byId.get(clientId);
    return row ? clientFromRow(row) : undefined;
  };
  return {
    find: async (clientId) => find(clientId),
    list: async () => all.all().map(clientFromRow),
    async add(client, now) {
      const confidential = client.type === 'confidential';
      const result = insert.run(
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
      );
      if (result.changes === 0) throw new ClientExistsError(client.clientId);
      return find(client.clientId)!;
    },
    async remove(clientId) {
      const existing = find(clientId);
      if (!existing) return false;
      if (existing.builtIn) throw new BuiltInClientError(clientId);
      return deleteById.run(clientId).changes === 1;
    },
    secretHashes: async (clientId) => secretHashesFromRow(byId.get(clientId)),
    async findWithSecretHashes(clientId) {
      const row = byId.get(clientId);
      return row && { client: clientFromRow(row), secretHashes: secretHashesFromRow(row) };
    },
    async replaceSecret(clientId, secretHash, previousExpiresAt) {
      return replace.run(previousExpiresAt, previousExpiresAt, secretHash, clientId).changes === 1;
    },
  };
}
