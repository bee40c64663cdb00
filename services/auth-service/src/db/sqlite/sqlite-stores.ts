import type { DatabaseSync } from 'node:sqlite';
import type { SessionLifetimes } from '../../sessions/session-store.js';
import { createSqliteClientRegistry } from './sqlite-client-registry.js';
import { createSqliteDeviceAuthorizationStore } from './sqlite-device-authorization-store.js';
import { createSqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { createSqliteRevocationStore } from './sqlite-revocation-store.js';
import { createSqliteSessionStore } from './sqlite-session-store.js';
import { createSqliteUserDirectory } from './sqlite-user-directory.js';

/**
 * Every SQLite adapter over one open database (db/open-stores.ts opens it; test harnesses
 * that inspect rows pass their own).
 *
 * @example
 * const { directory, sessions } = sqliteStores(openDatabase(':memory:'), lifetimes, Date.now);
 */
export function sqliteStores(db: DatabaseSync, session: SessionLifetimes, now: () => number) {
  return {
    directory: createSqliteUserDirectory(db),
    sessions: createSqliteSessionStore(db, session, now),
    clients: createSqliteClientRegistry(db),
    devices: createSqliteDeviceAuthorizationStore(db),
    refreshTokens: createSqliteRefreshTokenStore(db),
    revocations: createSqliteRevocationStore(db, now),
  };
}
