import type { DatabaseSync } from 'node:sqlite';
import { createSqliteClientRegistry } from './sqlite-client-registry.js';
import { createSqliteDeviceAuthorizationStore } from './sqlite-device-authorization-store.js';
import { createSqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';

/**
 * The OAuth stores `createApp` takes (clients, device authorizations, refresh tokens), all
 * over one embedded database.
 *
 * @example
 * createApp(config, { ...deps, ...sqliteOAuthStores(db) });
 */
export function sqliteOAuthStores(db: DatabaseSync) {
  return {
    clients: createSqliteClientRegistry(db),
    devices: createSqliteDeviceAuthorizationStore(db),
    refreshTokens: createSqliteRefreshTokenStore(db),
  };
}
