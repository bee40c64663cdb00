import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@gatehouse/shared';
import { loadConfig as loadApiConfig } from '../../services/api-service/src/config.js';
import { startServer as startApi } from '../../services/api-service/src/server.js';
import { runClientsCommand } from '../../services/auth-service/src/admin-cli/clients-command.js';
import { runKeysCommand } from '../../services/auth-service/src/admin-cli/keys-command.js';
import { runUsersCommand } from '../../services/auth-service/src/admin-cli/users-command.js';
import { loadConfig as loadAuthConfig } from '../../services/auth-service/src/config.js';
import { startServer as startAuth } from '../../services/auth-service/src/server.js';
import { loadConfig as loadDevIdpConfig } from '../../services/dev-idp/src/config.js';
import { startServer as startDevIdp } from '../../services/dev-idp/src/server.js';
import { loadConfig as loadGatewayConfig } from '../../gateway/src/config.js';
import { startServer as startGateway, type GatewayServer } from '../../gateway/src/server.js';
import { startFakeGoogle, type FakeGoogle } from './fake-google.js';
import { freePort } from './free-port.js';
import { until } from './until.js';

const CLIENT_ID = 'gatehouse-test-client';
const CLIENT_SECRET = 'gatehouse-test-secret';

/** Every service, each on its own loopback port, wired as in the deployment. */
export interface RunningSystem {
  /** The gateway's origin: the one public URL. */
  readonly url: string;
  /** Set when started with the fake Google (the default). */
  readonly google: FakeGoogle | undefined;
  /**
   * Every fake provider by PROVIDERS id: `google` when started with the fake Google, and each
   * of `extraProviders` (e.g. `system.providers.okta`).
   */
  readonly providers: Readonly<Record<string, FakeGoogle>>;
  readonly authUrl: string;
  readonly apiUrl: string;
  /** Runs `npm run users -- ...` against the auth-service's DATA_DIR. */
  users(...argv: string[]): Promise<number>;
  /** Runs `npm run keys -- ...` with the auth-service's environment, at `Date.now()`. */
  keys(...argv: string[]): Promise<{ code: number; out: string[] }>;
  /** Runs `npm run clients -- ...` against the auth-service's DATA_DIR; `out` is stdout. */
  clients(...argv: string[]): Promise<{ code: number; out: string[] }>;
  /** Stops one service (to test outages); `close` skips what is already stopped. */
  stop(service: 'auth' | 'api'): Promise<void>;
  close(): Promise<void>;
}

export async function startSystem(
  options: {
    provider?: 'fake-google' | 'dev-idp';
    authEnv?: Record<string, string>;
    /** The auth-service's clock (milliseconds), for expiry tests; real time by default. */
    authNow?: () => number;
    apiEnv?: Record<string, string>;
    /** The api-service's outgoing fetch (JWKS, revocation feed), to test outages. */
    apiFetch?: typeof globalThis.fetch;
    /** The api-service's clock (milliseconds), for expiry tests; real time by default. */
    apiNow?: () => number;
    /** More gateway variables, e.g. ROUTES_FILE. */
    gatewayEnv?: Record<string, string>;
    /**
     * More OpenID providers beside Google (or the dev-idp), each a fake Google of its own with
     * its own client, e.g. `['okta']`: PROVIDERS=google,okta with OKTA_ISSUER, _CLIENT_ID,
     * _CLIENT_SECRET, _KIND=oidc and _NAME (the id capitalised, "Okta"). Start-up waits until
     * the auth-service has reached every one of them.
     */
    extraProviders?: readonly string[];
  } = {},
): Promise<RunningSystem> {
  const logger = silentLogger();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-system-'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    let google: FakeGoogle | undefined;
    let issuer: string;
    const providers: Record<string, FakeGoogle> = {};
    if (options.provider === 'dev-idp') {
      const idp = await startDevIdp(
        loadDevIdpConfig({
          NODE_ENV: 'test',
          PORT: '0',
          DEV_IDP_CLIENT_ID: CLIENT_ID,
          DEV_IDP_CLIENT_SECRET: CLIENT_SECRET,
          DEV_IDP_REDIRECT_URIS: `${url}/auth/connect/google/callback`,
        }),
        { logger },
        { issuerFromListenUrl: true },
      );
      closers.push(() => idp.close());
      issuer = idp.issuer;
    } else {
      google = await startFakeGoogle({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      closers.push(() => google!.close());
      issuer = google.issuer;
      providers.google = google;
    }
    const extraEnv: Record<string, string> = {};
    for (const id of options.extraProviders ?? []) {
      const fake = await startFakeGoogle({
        clientId: `${id}-test-client`,
        clientSecret: `${id}-test-secret`,
      });
      closers.push(() => fake.close());
      providers[id] = fake;
      Object.assign(extraEnv, extraProviderEnv(id, fake));
    }
    if (options.extraProviders?.length) {
      extraEnv.PROVIDERS = ['google', ...options.extraProviders].join(',');
    }
    const auth = await startAuth(
      loadAuthConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        GOOGLE_ISSUER: issuer,
        GOOGLE_CLIENT_ID: CLIENT_ID,
        GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
        ALLOWED_DOMAINS: 'example.com',
        SESSION_KEYS: 'system-test-session-key-0123456789abcdef',
        DATA_DIR: dataDir,
        AUTH_RATE_LIMIT: '0',
        ...extraEnv,
        ...options.authEnv,
      }),
      { logger, now: options.authNow },
    );
    const authStopped = once(() => auth.close(1_000));
    closers.push(authStopped);
    const api = await startApi(
      loadApiConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        JWKS_URL: `${auth.url}/auth/.well-known/jwks.json`,
        JWT_ISSUER: `${url}/auth`,
        ...options.apiEnv,
      }),
      { logger, fetch: options.apiFetch, now: options.apiNow },
    );
    const apiStopped = once(() => api.close(1_000));
    closers.push(apiStopped);
    const gateway: GatewayServer = await startGateway(
      loadGatewayConfig({
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        AUTH_SERVICE_URL: auth.url,
        API_SERVICE_URL: api.url,
        METRICS_PORT: '0',
        ...options.gatewayEnv,
      }),
      { logger, env: { API_SERVICE_URL: api.url } },
    );
    closers.push(() => gateway.close());
    await waitUntilReady(`${url}/readyz`);
    if (options.extraProviders?.length) {
      await waitUntilProvidersReached(auth.url, ['google', ...options.extraProviders]);
    }
    return {
      url,
      google,
      providers,
      authUrl: auth.url,
      apiUrl: api.url,
      users: (...argv) =>
        runUsersCommand(argv, { DATA_DIR: dataDir }, { out() {}, err() {} }, Date.now()),
      keys: async (...argv) => {
        const out: string[] = [];
        const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
        const env = { PUBLIC_URL: url, DATA_DIR: dataDir, ...options.authEnv };
        return { code: await runKeysCommand(argv, env, io, Date.now()), out };
      },
      clients: async (...argv) => {
        const out: string[] = [];
        const io = { out: (line: string) => out.push(line), err() {} };
        return { code: await runClientsCommand(argv, { DATA_DIR: dataDir }, io, Date.now()), out };
      },
      stop: (service) => (service === 'auth' ? authStopped() : apiStopped()),
      close: () => closeAll(closers, dataDir),
    };
  } catch (err) {
    await closeAll(closers, dataDir);
    throw err;
  }
}

async function closeAll(closers: (() => Promise<unknown>)[], dataDir: string): Promise<void> {
  for (const close of closers.reverse()) await close().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** An extra provider's `<ID>_*` variables, for the auth-service: a plain OpenID provider. */
function extraProviderEnv(id: string, fake: FakeGoogle): Record<string, string> {
  const prefix = id.toUpperCase();
  return {
    [`${prefix}_ISSUER`]: fake.issuer,
    [`${prefix}_CLIENT_ID`]: fake.clientId,
    [`${prefix}_CLIENT_SECRET`]: fake.clientSecret,
    [`${prefix}_KIND`]: 'oidc',
    [`${prefix}_NAME`]: id.charAt(0).toUpperCase() + id.slice(1),
  };
}

/**
 * Polls the auth-service's own readiness until it has reached every provider in `ids`: it is
 * ready as soon as one is (one down must not take sign-in down), which is too early for a test
 * that signs in with another.
 */
async function waitUntilProvidersReached(authUrl: string, ids: string[]): Promise<void> {
  await until(
    `providers ${ids.join(', ')} reached`,
    10_000,
    async () => {
      const res = await fetch(`${authUrl}/readyz`);
      const report = (await res.json()) as { details?: { providers?: Record<string, boolean> } };
      const reached = report.details?.providers ?? {};
      const missing = ids.filter((id) => reached[id] !== true);
      if (missing.length > 0) throw new Error(`not reached yet: ${missing.join(', ')}`);
      return true;
    },
    { everyMs: 25 },
  );
}

/** Polls readiness (never a fixed sleep): the auth-service discovers its provider first. */
export async function waitUntilReady(url: string, timeoutMs = 10_000): Promise<void> {
  await until(
    `${url} ready`,
    timeoutMs,
    async () => {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`answered ${res.status}`);
      return true;
    },
    { everyMs: 25 },
  );
}
