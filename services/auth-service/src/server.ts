import {
  ConfigError,
  createHttpMetrics,
  createLogger,
  serve,
  type Logger,
  type RunningServer,
} from '@gatehouse/shared';
import { join } from 'node:path';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { openStores } from './db/open-stores.js';
import { DataDirInUseError, lockDataDir } from './db/sqlite/data-dir-lock.js';
import { openKeyStore } from './keys/open-key-store.js';
import type { Fetch } from './signin/provider/discover-provider.js';
import type { Sleep } from './signin/provider/provider-loader.js';
import { createProviderRegistry } from './signin/provider-registry.js';
import { developmentSessionKeys, SESSION_KEY_FILE } from './sessions/development-session-keys.js';
import { startSessionPurge } from './sessions/session-store.js';
import { purgeExpired } from './db/purge-expired.js';

const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Starts the auth-service: opens the database, discovers the provider in the background
 * (`/readyz` is 503 until then), starts purging expired sessions, device authorizations,
 * ended refresh families and expired revocations, and listens. `close` drains requests, then stops the timers and
 * closes the database.
 */
export async function startServer(
  config: Config,
  options: { logger?: Logger; fetch?: Fetch; now?: () => number; sleep?: Sleep } = {},
): Promise<RunningServer> {
  const logger =
    options.logger ?? createLogger({ service: 'auth-service', level: config.logLevel });
  const now = options.now ?? Date.now;
  const fetch = options.fetch ?? globalThis.fetch;
  // Development without SESSION_KEYS: the key kept in DATA_DIR, so sessions survive restarts.
  const session = config.session.keysGenerated
    ? Object.freeze({ ...config.session, keys: developmentSessionKeys(config.dataDir) })
    : config.session;
  if (config.session.keysGenerated) {
    logger.warn(
      { file: join(config.dataDir, SESSION_KEY_FILE) },
      'SESSION_KEYS is not set: signing session cookies with the development key kept in ' +
        'DATA_DIR (generated on first start). Set SESSION_KEYS (`openssl rand -base64 32`) ' +
        'outside development.',
    );
  }
  // SQLite takes one writing process: a second auth-service on the same DATA_DIR (a second
  // `npm start` on other ports) is refused, naming the one that holds it.
  const dataDirLock = config.database ? undefined : lockDataDirOrRefuse(config, now());
  let stores: Awaited<ReturnType<typeof openStores>>;
  try {
    stores = await openStores({
      dataDir: config.dataDir,
      database: config.database,
      session: config.session,
      now,
    });
  } catch (err) {
    dataDirLock?.release();
    throw err;
  }
  const closeStores = async () => {
    try {
      await stores.close();
    } finally {
      dataDirLock?.release();
    }
  };
  logger.info(
    { store: stores.kind, pool_max: config.database?.poolMax, migrated: stores.migrated },
    stores.kind === 'postgres'
      ? 'state in PostgreSQL (DATABASE_URL): replicas share it'
      : `state in the embedded database under DATA_DIR (${config.dataDir}): one replica only`,
  );
  let keyStore;
  try {
    // Throws ConfigError in production when there is no signing key, before anything starts.
    keyStore = await openKeyStore({
      tokens: config.tokens,
      repository: stores.keys,
      production: config.production,
      now,
      logger,
    });
  } catch (err) {
    await closeStores();
    throw err;
  }
  const providers = createProviderRegistry(config.providers, {
    fetch,
    logger,
    sleep: options.sleep,
    now,
  });
  const app = createApp(Object.freeze({ ...config, session }), {
    logger,
    now,
    fetch,
    providers,
    stores,
    keyStore,
    ...(stores.kind === 'postgres' && { database: stores.ping }),
    metrics: createHttpMetrics('auth-service'),
  });
  const stopPurge = startSessionPurge(
    { purgeExpired: () => purgeExpired(stores, config.tokens, now()) },
    PURGE_INTERVAL_MS,
    (err) => logger.error({ err }, 'purging expired rows failed'),
  );
  let running: RunningServer;
  try {
    running = await serve(app.callback(), {
      port: config.port,
      host: config.host,
      limits: config.limits,
    });
  } catch (err) {
    providers.stop();
    stopPurge();
    await closeStores();
    throw err;
  }
  logger.info(
    {
      url: running.url,
      public_url: config.publicUrl,
      providers: config.providers.map((provider) => provider.id),
    },
    'auth-service listening',
  );
  for (const provider of config.providers) {
    logger.info(
      { provider: provider.id, issuer: provider.issuer, redirect_uri: provider.redirectUri },
      `register this redirect URI with provider ${provider.id}: ${provider.redirectUri}`,
    );
  }
  return {
    ...running,
    async close(deadlineMs) {
      providers.stop();
      stopPurge();
      try {
        await running.close(deadlineMs);
      } finally {
        await closeStores();
      }
    },
  };
}

function lockDataDirOrRefuse(config: Config, now: number) {
  try {
    return lockDataDir(config.dataDir, { publicUrl: config.publicUrl, port: config.port }, now);
  } catch (err) {
    if (err instanceof DataDirInUseError) throw new ConfigError('auth-service', [err.message]);
    throw err;
  }
}
