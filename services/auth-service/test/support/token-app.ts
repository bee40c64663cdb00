import { createHmac, randomBytes } from 'node:crypto';
import { createLogger } from '@gatehouse/shared';
import type { RequestSource } from '../../src/http/request-source.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/sqlite/open-database.js';
import { sqliteStores } from '../../src/db/sqlite/sqlite-stores.js';
import type { GuessLimits } from '../../src/oauth/device/guess-limiter.js';
import type { ClientAuthLimits } from '../../src/oauth/clients/authenticate-client.js';
import { createDirectoryKeyRepository } from '../../src/keys/directory-key-repository.js';
import { openKeyStore } from '../../src/keys/open-key-store.js';
import { KINDS } from '../../src/signin/kinds/kinds.js';
import { registryOf } from '../../src/signin/provider-registry.js';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import { manualClock, tempDataDir } from './key-fixtures.js';

export const PUBLIC_URL = 'http://localhost:8080';
export const SAME_ORIGIN = { Origin: PUBLIC_URL };
const SESSION_KEY = 'test-session-key-0123456789-abcdefghij';

type OAuthStores = Omit<ReturnType<typeof sqliteStores>, 'directory' | 'sessions'>;

/** Sign-in is not under test here: the configured provider is never discovered. */
const neverDiscovered = {
  current: () => undefined,
  loaded: new Promise<never>(() => {}),
  stop: () => {},
};

/**
 * The real auth-service app on a temporary (or given) DATA_DIR, with a clock the test moves.
 * `signIn` stands in for the Google flow: it writes a session to the real store and returns
 * the signed cookie the browser would hold (and the session's `sid`).
 */
export async function buildTokenApp(
  options: {
    env?: Record<string, string>;
    dataDir?: string;
    clock?: ReturnType<typeof manualClock>;
    guessLimits?: GuessLimits;
    clientAuthLimits?: ClientAuthLimits;
    /** Wraps the OAuth stores the app gets, e.g. to run a step between two of its writes. */
    wrapStores?: (stores: OAuthStores) => OAuthStores;
  } = {},
) {
  const dataDir = options.dataDir ?? tempDataDir();
  const clock = options.clock ?? manualClock(Date.now());
  const config = loadConfig({ ...tokenAppEnv(dataDir), ...options.env });
  // Every request's log lines, parsed, for audit assertions.
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'auth-service',
    level: 'info',
    destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
  });
  const db = openDatabase(dataDir);
  const { directory, sessions, ...oauth } = sqliteStores(db, config.session, clock.now);
  const wrapped = options.wrapStores?.(oauth) ?? oauth;
  const keyRepository = createDirectoryKeyRepository(dataDir);
  const keys = await openKeyStore({
    tokens: config.tokens,
    repository: keyRepository,
    production: config.production,
    now: clock.now,
    logger,
  });
  const app = createApp(config, {
    logger,
    now: clock.now,
    fetch: () => Promise.reject(new Error('no network in tests')),
    providers: registryOf(
      config.providers.map((settings) => ({
        settings,
        kind: KINDS[settings.kind],
        loader: neverDiscovered,
      })),
    ),
    stores: { directory, sessions, ...wrapped },
    keyStore: keys,
    guessLimits: options.guessLimits,
    clientAuthLimits: options.clientAuthLimits,
  });

  async function signIn(
    email = 'ada@example.com',
    roles: string[] = [],
    from: RequestSource = { ip: '192.0.2.1', userAgent: 'test browser' },
  ) {
    const user = await directory.preRegister(email, roles, clock.now());
    const id = randomBytes(16).toString('hex');
    const sid = randomBytes(16).toString('base64url');
    await sessions.create(id, { userId: user.id, sid, signedInAt: clock.now(), from });
    return { user, sid, cookie: signedCookie(id) };
  }

  return {
    app,
    config,
    clock,
    dataDir,
    db,
    directory,
    sessions,
    keys,
    keyRepository,
    oauth,
    logs,
    signIn,
  };
}

/** The environment of a test app on `dataDir`: no provider reached, no rate limit. */
export function tokenAppEnv(dataDir: string): Record<string, string> {
  return {
    GOOGLE_CLIENT_ID: 'client',
    GOOGLE_CLIENT_SECRET: 'secret',
    SESSION_KEYS: SESSION_KEY,
    PUBLIC_URL,
    DATA_DIR: dataDir,
    AUTH_RATE_LIMIT: '0',
  };
}

/** The cookie pair koa-session (keygrip, HMAC-SHA1) accepts for session `id`. */
export function signedCookie(id: string): string {
  const signature = createHmac('sha1', SESSION_KEY)
    .update(`${SESSION_COOKIE}=${id}`)
    .digest('base64url');
  return `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}.sig=${signature}`;
}
