import type { Client, ClientSecretHashes, GrantType } from '../../oauth/clients/client.js';
import { flag, nullableNumber, nullableText, type Row } from './row.js';

/** A `clients` row as a registered client (both adapters). */
export function clientFromRow(row: Row): Client {
  return {
    clientId: String(row.client_id),
    name: String(row.name),
    type: row.type === 'confidential' ? 'confidential' : 'public',
    grantTypes: JSON.parse(String(row.grant_types)) as GrantType[],
    scopes: JSON.parse(String(row.scopes)) as string[],
    refreshIdleTtl: Number(row.refresh_idle_ttl),
    refreshAbsoluteTtl: Number(row.refresh_absolute_ttl),
    builtIn: flag(row.built_in),
    grantId: nullableText(row.grant_id),
  };
}

/** A confidential client's secret hashes; undefined for a public client or no row. */
export function secretHashesFromRow(row: Row | undefined): ClientSecretHashes | undefined {
  if (!row || row.type !== 'confidential' || row.secret_hash === null) return undefined;
  return {
    current: String(row.secret_hash),
    previous: nullableText(row.previous_secret_hash),
    previousExpiresAt: nullableNumber(row.previous_secret_expires_at),
  };
}
