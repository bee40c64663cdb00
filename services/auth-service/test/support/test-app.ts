import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger, type Logger } from '@gatehouse/shared';
import type Koa from 'koa';
import request from 'supertest';
import { startFakeGoogle, type FakeGoogle } from '../../../../test/support/fake-google.js';
import { createApp, type AppDeps } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openStores } from '../../src/db/open-stores.js';
import { openKeyStore } from '../../src/keys/open-key-store.js';
import type { ProviderLoader } from '../../src/signin/provider/provider-loader.js';
import {
  createProviderRegistry,
  type ProviderRegistry,
} from '../../src/signin/provider-registry.js';
import type { SessionStore } from '../../src/sessions/session-store.js';
import type { UserDirectory } from '../../src/users/user-directory.js';

export const SESSION_KEY = 'test-session-key-0123456789abcdef-0123';

/** Env for an auth-service pointed at `google`; override per test. */
export function testEnv(google: FakeGoogle, env: Record<string, string> = {}) {
  return {
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://localhost:8080',
    GOOGLE_CLIENT_ID: google.clientId,
    GOOGLE_CLIENT_SECRET: google.clientSecret,
    GOOGLE_ISSUER: google.issuer,
    ...(google.issuer === google.url ? {} : { GOOGLE_BACKCHANNEL_URL: google.url }),
    ALLOWED_DOMAINS: 'example.com',
    SESSION_KEYS: SESSION_KEY,
    AUTH_RATE_LIMIT: '0',
    ...env,
  };
}

export interface TestAuthService {
  app: Koa;
  config: Config;
  directory: UserDirectory;
  sessions: SessionStore;
  /** The first provider's loader (google unless PROVIDERS says otherwise). */
  provider: ProviderLoader;
  providers: ProviderRegistry;
  /** Moves the service's clock (not the fake Google's). */
  advance(ms: number): void;
  logs: Record<string, unknown>[];
}

/** An in-process auth-service with an in-memory database, its provider already discovered. */
export async function startTestAuthService(
  google: FakeGoogle,
  env: Record<string, string> = {},
  /** The service's fetch; when given, the provider is not awaited (readiness tests). */
  serviceFetch?: typeof fetch,
  deps: Pick<AppDeps, 'providerTimeoutMs' | 'metrics'> = {},
): Promise<TestAuthService> {
  const dataDir = mkdtempSync(join(tmpdir(), 'auth-sign-in-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...testEnv(google, env) });
  let offset = 0;
  const now = () => Date.now() + offset;
  // config.dataDir: a test may pass DATA_DIR to start a second service on the same database.
  const stores = await openStores({ dataDir: config.dataDir, session: config.session, now });
  const logs: Record<string, unknown>[] = [];
  const logger = capturingLogger(logs);
  const providers = createProviderRegistry(config.providers, {
    fetch: serviceFetch ?? fetch,
    logger,
  });
  const provider = providers.all[0]!.loader;
  if (!serviceFetch) await Promise.all(providers.all.map(({ loader }) => loader.loaded));
  const { directory, sessions } = stores;
  const keyStore = await openKeyStore({
    tokens: config.tokens,
    repository: stores.keys,
    production: false,
    now,
    logger: silentLogger(),
  });
  const app = createApp(config, {
    logger,
    now,
    fetch: serviceFetch ?? fetch,
    providers,
    stores,
    keyStore,
    ...deps,
  });
  return {
    app,
    config,
    directory,
    sessions,
    provider,
    providers,
    advance: (ms) => (offset += ms),
    logs,
  };
}

/** A pino logger whose lines land in `lines`, so tests can read the audit log. */
function capturingLogger(lines: Record<string, unknown>[]): Logger {
  return createLogger({
    service: 'auth-service',
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
}

export type Agent = ReturnType<typeof request.agent>;

/** Drives a browser through /auth/login, the provider and back; returns the callback response. */
export async function signIn(agent: Agent, google: FakeGoogle, returnTo?: string) {
  const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
  const login = await agent.get(`/auth/login${query}`).expect(302);
  const connect = await agent.get(login.headers.location!).expect(302);
  const callback = new URL(await google.authorize(connect.headers.location!));
  return agent.get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json');
}

/** The value of a Set-Cookie header for `name`, or undefined. */
export function setCookie(response: { headers: Record<string, unknown> }, name: string) {
  const cookies = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((cookie) => cookie.startsWith(`${name}=`));
}

export { startFakeGoogle, request };
