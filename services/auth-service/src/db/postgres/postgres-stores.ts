import type { EncryptionKey } from '../../keys/key-encryption.js';
import type { SessionLifetimes } from '../../sessions/session-store.js';
import { createPostgresClientRegistry } from './postgres-client-registry.js';
import { createPostgresCounterStore } from './postgres-counter-store.js';
import { createPostgresDeviceAuthorizationStore } from './postgres-device-authorization-store.js';
import { createPostgresKeyRepository } from './postgres-key-repository.js';
import type { Database } from './postgres-pool.js';
import { createPostgresRefreshTokenStore } from './postgres-refresh-token-store.js';
import { createPostgresRevocationStore } from './postgres-revocation-store.js';
import { createPostgresSessionStore } from './postgres-session-store.js';
import { createPostgresUserDirectory } from './postgres-user-directory.js';

/**
 * Every PostgreSQL adapter over one pool (db/open-stores.ts opens it when DATABASE_URL is set).
 *
 * @example
 * const stores = postgresStores(openPool(options), lifetimes, Date.now, encryptionKeys);
 */
export function postgresStores(
  db: Database,
  session: SessionLifetimes,
  now: () => number,
  encryptionKeys: readonly EncryptionKey[],
) {
  return {
    directory: createPostgresUserDirectory(db),
    sessions: createPostgresSessionStore(db, session, now),
    clients: createPostgresClientRegistry(db),
    devices: createPostgresDeviceAuthorizationStore(db),
    refreshTokens: createPostgresRefreshTokenStore(db),
    revocations: createPostgresRevocationStore(db),
    counters: createPostgresCounterStore(db),
    keys: createPostgresKeyRepository(db, encryptionKeys),
  };
}
