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
    return {
      url,
      google,
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
