import type { ClientRegistry } from '../oauth/clients/client.js';
import type { DeviceAuthorizationStore } from '../oauth/device/device-authorization-store.js';
import { createDirectoryKeyRepository } from '../keys/directory-key-repository.js';
import type { KeyRepository } from '../keys/key-repository.js';
import type { CounterStore } from '../limits/counter-store.js';
import { createMemoryCounterStore } from '../limits/memory-counter-store.js';
import type { RefreshTokenStore } from '../oauth/refresh/refresh-token-store.js';
import type { RevocationStore } from '../oauth/revocation-feed/revocation-store.js';
import type { SessionLifetimes, SessionStore } from '../sessions/session-store.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { EncryptionKey } from '../keys/key-encryption.js';
import { rememberBuiltInClients } from '../oauth/clients/remember-built-in-clients.js';
import { openDatabase } from './sqlite/open-database.js';
import { reencryptSigningKeys } from './postgres/postgres-key-repository.js';
import { migratePostgres } from './postgres/postgres-migrate.js';
import { openPool, type PoolOptions } from './postgres/postgres-pool.js';
import { postgresStores } from './postgres/postgres-stores.js';
import { sqliteStores } from './sqlite/sqlite-stores.js';

/** Session lifetimes for callers that never read a session (the CLIs). */
const UNUSED_SESSION_LIFETIMES: SessionLifetimes = { idleTimeoutMs: 1, maxAgeMs: 1 };

export interface OpenStoresOptions {
  /** DATA_DIR; `:memory:` opens a private in-memory database (tests). */
  dataDir: string;
  /** DATABASE_URL and its pool: when given, every store lives in PostgreSQL instead. */
  database?: (PoolOptions & { readonly encryptionKeys?: readonly EncryptionKey[] }) | undefined;
  /** The service's session lifetimes; the CLIs, which never read sessions, leave it out. */
  session?: SessionLifetimes;
  /** The clock the session store enforces lifetimes on. */
  now?: () => number;
}

/** Every store of the auth-service, over one database; `close` releases it. */
export interface Stores {
  readonly directory: UserDirectory;
  readonly sessions: SessionStore;
  readonly clients: ClientRegistry;
  readonly devices: DeviceAuthorizationStore;
  readonly refreshTokens: RefreshTokenStore;
  /** The revocation feed: ended access the APIs must refuse (oauth/revocation-feed/revocation-store.ts). */
  readonly revocations: RevocationStore;
  readonly counters: CounterStore;
  /** Where the signing keys are kept (the KeyStore reads it; SIGNING_KEYS bypasses it). */
  readonly keys: KeyRepository;
  /**
   * Seals every signing key again with the first KEY_ENCRYPTION_KEY entry; resolves to how
   * many changed. Only PostgreSQL encrypts keys: the embedded default refuses.
   */
  reencryptKeys(): Promise<number>;
  /** Resolves when the database answers (readiness); the embedded one always does. */
  ping(): Promise<void>;
  /** Which database holds the state, for the start log. */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * PostgreSQL: the migrations this start applied, for the start log (empty when another
   * replica or an earlier start already had). Undefined for the embedded database.
   */
  readonly migrated?: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens the auth-service's persistence: the one place that chooses the database, for the
 * server and every CLI. By default the embedded SQLite file under DATA_DIR (counters in
 * process memory, signing keys in DATA_DIR/keys); with DATABASE_URL, PostgreSQL for all of it,
 * shared by every replica, migrated under an advisory lock before anything else runs. Either
 * way the built-in clients, which cannot change while it runs, are read once
 * (oauth/clients/remember-built-in-clients.ts).
 *
 * @example
 * const stores = await openStores({ dataDir: config.dataDir, session: config.session });
 * await stores.directory.list();
 * await stores.close();
 */
export async function openStores(options: OpenStoresOptions): Promise<Stores> {
  const now = options.now ?? Date.now;
  const session = options.session ?? UNUSED_SESSION_LIFETIMES;
  const { database } = options;
  if (database) {
    const pool = openPool(database);
    let migrated: string[];
    try {
      migrated = await migratePostgres(pool);
    } catch (err) {
      await pool.close();
      throw err;
    }
    const stores = postgresStores(pool, session, now, database.encryptionKeys ?? []);
    return {
      ...stores,
      clients: rememberBuiltInClients(stores.clients),
      reencryptKeys: () => reencryptSigningKeys(pool, database.encryptionKeys ?? []),
      ping: () => pool.ping(),
      kind: 'postgres',
      migrated,
      close: () => pool.close(),
    };
  }
  const db = openDatabase(options.dataDir);
  const stores = sqliteStores(db, session, now);
  return {
    ...stores,
    clients: rememberBuiltInClients(stores.clients),
    counters: createMemoryCounterStore(),
    keys: createDirectoryKeyRepository(options.dataDir),
    reencryptKeys: async () => {
      throw new Error(
        'only keys in PostgreSQL (DATABASE_URL) are encrypted; key files in DATA_DIR/keys are not',
      );
    },
    ping: async () => {},
    kind: 'sqlite',
    async close() {
      db.close();
    },
  };
}
