import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, type RunningServer } from '@gatehouse/shared';
import { runKeysCommand } from '../services/auth-service/src/cli/keys-command.js';
import { runUsersCommand } from '../services/auth-service/src/cli/users-command.js';
import { loadConfig as loadAuthConfig } from '../services/auth-service/src/config.js';
import { startServer as startAuth } from '../services/auth-service/src/server.js';
import { loadConfig as loadGatewayConfig } from '../gateway/src/config.js';
import { startServer as startGateway, type GatewayServer } from '../gateway/src/server.js';
import { CookieClient } from './support/cookie-client.js';
import { startFakeGoogle, type FakeGoogle } from './support/fake-google.js';
import { freePort } from './support/free-port.js';
import { startPostgres, type TestPostgres } from './postgres/postgres-server.mjs';

const CLIENT = { id: 'replica-client', secret: 'replica-secret' };
const RATE_LIMIT = 40;

/**
 * Two auth-service replicas on one PostgreSQL database (a private server, so it can be stopped)
 * behind one gateway: what one replica writes, the other honours.
 */
describe('two auth-service replicas on PostgreSQL', () => {
  let pg: TestPostgres;
  let google: FakeGoogle;
  let gateway: GatewayServer;
  let replicas: RunningServer[];
  let url: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    pg = await startPostgres();
    google = await startFakeGoogle({ clientId: CLIENT.id, clientSecret: CLIENT.secret });
    url = `http://127.0.0.1:${await freePort()}`;
    env = {
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      GOOGLE_ISSUER: google.issuer,
      GOOGLE_CLIENT_ID: CLIENT.id,
      GOOGLE_CLIENT_SECRET: CLIENT.secret,
      ALLOWED_DOMAINS: 'example.com',
      SESSION_KEYS: 'replica-test-session-key-0123456789abcdef',
      DATABASE_URL: pg.url,
      DATABASE_TIMEOUT_MS: '1000',
      KEY_ENCRYPTION_KEY: `test:${randomBytes(32).toString('base64')}`,
      AUTH_RATE_LIMIT: String(RATE_LIMIT),
    };
    // Both start at once: the migrations run once under the advisory lock.
    replicas = await Promise.all(
      [0, 1].map(() =>
        startAuth(loadAuthConfig({ ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'replica-')) }), {
          logger: silentLogger(),
        }),
      ),
    );
    gateway = await startGateway(
      loadGatewayConfig({
        NODE_ENV: 'test',
        PORT: new URL(url).port,
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        AUTH_SERVICE_URL: replicas.map((r) => r.url).join(','),
        API_SERVICE_URL: 'http://127.0.0.1:9',
        METRICS_PORT: '0',
      }),
      { logger: silentLogger() },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    for (const replica of replicas ?? []) await replica.close(1000).catch(() => {});
    await google?.close();
    pg?.close();
  });

  /** Signs in through the gateway; returns the browser's cookie header for direct calls. */
  async function signIn() {
    const client = new CookieClient();
    const landed = await client.request(`${url}/auth/login?returnTo=%2F`);
    expect(landed.url).toBe(`${url}/`);
    return client;
  }
  /** The browser's session cookies, to call one replica directly (they were set for the gateway). */
  const cookies = (client: CookieClient) =>
    ['gatehouse_session', 'gatehouse_session.sig']
      .map((name) => `${name}=${client.cookie(url, name) ?? ''}`)
      .join('; ');
  const token = (client: CookieClient, origin: string) =>
    fetch(`${origin}/auth/token`, {
      method: 'POST',
      headers: { origin: url, cookie: cookies(client) },
    });

  it('when a session is made through the gateway, then both replicas issue tokens for it, and a logout on one ends it on the other', async () => {
    const client = await signIn();
    const [a, b] = replicas.map((r) => r.url) as [string, string];
    expect((await token(client, a)).status).toBe(200);
    expect((await token(client, b)).status).toBe(200);
    const logout = await fetch(`${a}/auth/logout`, {
      method: 'POST',
      headers: { origin: url, cookie: cookies(client) },
      redirect: 'manual',
    });
    expect(logout.status).toBeLessThan(400);
    expect((await token(client, b)).status).toBe(401);
  });

  it('when a user is disabled with the CLI, then every replica refuses them', async () => {
    const client = await signIn();
    const users = async (...argv: string[]) => {
      const lines: string[] = [];
      const io = {
        out: (line: string) => lines.push(line),
        err: (line: string) => lines.push(line),
      };
      return { code: await runUsersCommand(argv, { DATABASE_URL: pg.url }, io, Date.now()), lines };
    };
    for (const replica of replicas) expect((await token(client, replica.url)).status).toBe(200);
    expect(await users('disable', 'developer@example.com')).toMatchObject({ code: 0 });
    for (const replica of replicas) expect((await token(client, replica.url)).status).toBe(401);
    expect(await users('enable', 'developer@example.com')).toMatchObject({ code: 0 });
  });

  it('when the database stops, then /readyz and routes answer 503, and both recover when it is back', async () => {
    const [a] = replicas as [RunningServer];
    const client = await signIn();
    pg.stop();
    try {
      const ready = await fetch(`${a.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(
        ((await ready.json()) as { checks: { database: { ready: boolean } } }).checks.database
          .ready,
      ).toBe(false);
      const route = await token(client, a.url);
      expect(route.status).toBe(503);
      expect(((await route.json()) as { error: string }).error).toBe('temporarily_unavailable');
    } finally {
      pg.start();
    }
    for (const replica of replicas) {
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline) {
        const res = await fetch(`${replica.url}/readyz`);
        status = res.status;
        await res.arrayBuffer();
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    }
  });

  it('when a key is rotated with the CLI, then both replicas publish it at once with one ETag and keep signing with the current key', async () => {
    const rotate = async (now: number) => {
      const lines: string[] = [];
      const io = {
        out: (line: string) => lines.push(line),
        err: (line: string) => lines.push(line),
      };
      const cliEnv = {
        PUBLIC_URL: url,
        DATABASE_URL: pg.url,
        KEY_ENCRYPTION_KEY: env.KEY_ENCRYPTION_KEY!,
      };
      expect(await runKeysCommand(['rotate'], cliEnv, io, now)).toBe(0);
      return /key (\S+?):? /.exec(lines.at(-1)!)![1]!;
    };
    const published = async () =>
      Promise.all(
        replicas.map(async (r) => {
          const res = await fetch(`${r.url}/auth/.well-known/jwks.json`);
          const { keys } = (await res.json()) as { keys: { kid: string }[] };
          return { etag: res.headers.get('etag'), kids: keys.map((k) => k.kid) };
        }),
      );
    const client = await signIn();
    const signingKids = async () =>
      Promise.all(
        replicas.map(async (r) => {
          const res = await token(client, r.url);
          const { access_token } = (await res.json()) as { access_token: string };
          return decodeProtectedHeader(access_token).kid;
        }),
      );
    const eventually = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 5000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error('not within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const before = await signingKids();
    expect(new Set(before).size).toBe(1);
    const next = await rotate(Date.now());
    await eventually(async () => {
      const sets = await published();
      return sets.every((s) => s.kids.includes(next)) && sets[0]!.etag === sets[1]!.etag;
    });
    expect(await signingKids()).toEqual(before);
  });

  it('when both replicas publish the JWKS, then they serve the same key set with the same ETag', async () => {
    const [a, b] = await Promise.all(
      replicas.map((r) => fetch(`${r.url}/auth/.well-known/jwks.json`)),
    );
    expect(a!.headers.get('etag')).toBe(b!.headers.get('etag'));
    expect(await a!.json()).toEqual(await b!.json());
  });
  it('when requests alternate between replicas, then the rate limit counts them together', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 5; i += 1) {
      const res = await fetch(`${replicas[i % 2]!.url}/auth/token`, {
        method: 'POST',
        headers: { origin: url },
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    // Counted per replica, neither would reach the limit: each saw about half the requests.
  });
});
