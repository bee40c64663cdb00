import { randomBytes } from 'node:crypto';
import { silentLogger } from '@gatehouse/shared';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openStores } from '../../src/db/open-stores.js';
import { openKeyStore } from '../../src/keys/open-key-store.js';
import { KINDS } from '../../src/signin/kinds/kinds.js';
import { registryOf } from '../../src/signin/provider-registry.js';
import type { UserDirectory } from '../../src/users/user-directory.js';
import { manualClock, tempDataDir } from './key-fixtures.js';
import { freshSchema } from './postgres-schema.js';
import { signedCookie, tokenAppEnv } from './token-app.js';

export const DATABASES = ['sqlite', 'postgres'] as const;
export { SAME_ORIGIN } from './token-app.js';

/** Sign-in is not under test here: the configured provider is never discovered. */
const neverDiscovered = {
  current: () => undefined,
  loaded: new Promise<never>(() => {}),
  stop: () => {},
};

/**
 * The real auth-service app over all its stores in one database, as a replica runs it:
 * SQLite in a temporary DATA_DIR, or PostgreSQL in a schema of its own (DATABASE_URL).
 * `directoryReads` counts the app's findById calls (what the session read did not bring);
 * `signIn` writes a session straight to the store and returns the browser's signed cookie.
 */
export async function buildAppOn(database: (typeof DATABASES)[number]) {
  const dataDir = tempDataDir();
  const clock = manualClock(Date.now());
  const schema = database === 'postgres' ? await freshSchema() : undefined;
  const config = loadConfig({
    ...tokenAppEnv(dataDir),
    ...(schema && {
      DATABASE_URL: schema.url,
      KEY_ENCRYPTION_KEY: `test:${randomBytes(32).toString('base64')}`,
    }),
  });
  const stores = await openStores({
    dataDir,
    database: config.database,
    session: config.session,
    now: clock.now,
  });
  const counted = { directoryReads: 0 };
  const directory: UserDirectory = {
    ...stores.directory,
    findById: (id) => {
      counted.directoryReads += 1;
      return stores.directory.findById(id);
    },
  };
  const keyStore = await openKeyStore({
    tokens: config.tokens,
    repository: stores.keys,
    production: false,
    now: clock.now,
    logger: silentLogger(),
  });
  const app = createApp(config, {
    logger: silentLogger(),
    now: clock.now,
    fetch: () => Promise.reject(new Error('no network in tests')),
    providers: registryOf(
      config.providers.map((settings) => ({
        settings,
        kind: KINDS[settings.kind],
        loader: neverDiscovered,
      })),
    ),
    stores: { ...stores, directory },
    keyStore,
  });

  async function signIn(email = 'ada@example.com', roles: string[] = []) {
    const user = await stores.directory.preRegister(email, roles, clock.now());
    const id = randomBytes(16).toString('hex');
    const sid = randomBytes(16).toString('base64url');
    await stores.sessions.create(id, { userId: user.id, sid, signedInAt: clock.now() });
    return { user, sid, cookie: signedCookie(id) };
  }

  return {
    app,
    clock,
    stores,
    counted,
    signIn,
    async close() {
      await stores.close();
      await schema?.drop();
    },
  };
}
