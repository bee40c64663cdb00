import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKeysCommand } from '../services/auth-service/src/admin-cli/keys-command.js';
import { runUsersCommand } from '../services/auth-service/src/admin-cli/users-command.js';
import { CookieClient } from './support/cookie-client.js';
import { startFakeGoogle, type FakeGoogle } from './support/fake-google.js';
import { freePort } from './support/free-port.js';
import { startService, type ServiceProcess } from './support/service-process.js';
import { startTraffic, type TrafficResult } from './support/traffic.js';
import { until } from './support/until.js';
import { startPostgres, type TestPostgres } from './postgres/postgres-server.mjs';

const CLIENT = { id: 'replica-client', secret: 'replica-secret' };
const SESSION_KEYS = 'replica-test-session-key-0123456789abcdef';
const KEY_ENCRYPTION_KEY = `test:${randomBytes(32).toString('base64')}`;
/** KEY_PUBLISH_DELAY (its least value) for the replicas and the CLI, in ms. */
const PUBLISH_DELAY_MS = 660_000;
const RATE_LIMIT = 40;

/** A CLI run in this process (the code behind `npm run keys` and `npm run users`). */
async function cli(
  command: typeof runKeysCommand | typeof runUsersCommand,
  argv: string[],
  env: Record<string, string>,
  now = Date.now(),
) {
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
  const code = await command(argv, env, io, now);
  return { code, lines };
}

/**
 * Real processes from the built services (as compose.scale.yaml runs them): two
 * auth-service and two api-service replicas on one PostgreSQL database (a private server, so
 * it can be stopped), behind one gateway. What one replica writes, the other honours.
 */
describe('auth-service and api-service replicas on PostgreSQL, as processes', () => {
  let pg: TestPostgres;
  let google: FakeGoogle;
  let url: string;
  const processes: ServiceProcess[] = [];

  /** The auth-service's environment on `database`, behind the gateway at `url`. */
  const authEnv = (database: string, extra: Record<string, string> = {}) => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PUBLIC_URL: url,
    GOOGLE_ISSUER: google.issuer,
    GOOGLE_CLIENT_ID: CLIENT.id,
    GOOGLE_CLIENT_SECRET: CLIENT.secret,
    ALLOWED_DOMAINS: 'example.com',
    SESSION_KEYS,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'replica-')),
    DATABASE_URL: database,
    DATABASE_TIMEOUT_MS: '1000',
    KEY_ENCRYPTION_KEY,
    KEY_PUBLISH_DELAY: String(PUBLISH_DELAY_MS / 1000),
    ...extra,
  });
  const start = async (...args: Parameters<typeof startService>) => {
    const service = startService(...args);
    processes.push(service);
    return service;
  };

  beforeAll(async () => {
    pg = await startPostgres();
    google = await startFakeGoogle({ clientId: CLIENT.id, clientSecret: CLIENT.secret });
    url = `http://127.0.0.1:${await freePort()}`;
  });

  afterAll(async () => {
    await Promise.all(processes.map((service) => service.stop()));
    await google?.close();
    pg?.close();
  });

  describe('two replicas started at once on an empty database', () => {
    let replicas: ServiceProcess[];

    beforeAll(async () => {
      const database = pg.createDatabase('first_start');
      replicas = await Promise.all(
        [0, 1].map(async () =>
          start(
            'auth-service',
            await freePort(),
            authEnv(database, { AUTH_RATE_LIMIT: String(RATE_LIMIT) }),
          ),
        ),
      );
      await Promise.all(replicas.map((replica) => replica.ready()));
    });

    it('when both start together, then one of them runs every migration, once', () => {
      const migrated = replicas.map(
        (replica) =>
          replica.logs.find((line) => line.msg.startsWith('state in PostgreSQL'))?.migrated as
            string[] | undefined,
      );
      expect(migrated.every(Array.isArray)).toBe(true);
      const [first, second] = migrated as [string[], string[]];
      expect([first.length, second.length].sort((a, b) => a - b)[0]).toBe(0);
      const all = [...first, ...second];
      expect(all.length).toBeGreaterThanOrEqual(8);
      expect(new Set(all).size).toBe(all.length);
      expect(all[0]).toBe('001-users');
    });

    it('when both start together, then one development key is generated and both publish it', async () => {
      const sets = await Promise.all(
        replicas.map(async (replica) => {
          const res = await fetch(`${replica.url}/auth/.well-known/jwks.json`);
          return {
            etag: res.headers.get('etag'),
            kids: ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid),
          };
        }),
      );
      expect(sets[0]!.kids).toHaveLength(1);
      expect(sets[1]).toEqual(sets[0]);
      const generated = replicas.flatMap((replica) =>
        replica.logs.filter((line) => line.msg.startsWith('DEVELOPMENT: generated a signing key')),
      );
      expect(generated).toHaveLength(1);
    });

    it('when requests alternate between them, then the rate limit counts them together', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < RATE_LIMIT + 5; i += 1) {
        const res = await fetch(`${replicas[i % 2]!.url}/auth/token`, {
          method: 'POST',
          headers: { origin: url },
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      // Counted per replica, neither would reach the limit: each saw about half the requests.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    });
  });

  describe('two auth and two api replicas behind the gateway', () => {
    let database: string;
    let auth: [ServiceProcess, ServiceProcess];
    let api: [ServiceProcess, ServiceProcess];
    let gateway: ServiceProcess;
    const cliEnv = () => ({
      PUBLIC_URL: url,
      DATABASE_URL: database,
      KEY_ENCRYPTION_KEY,
      KEY_PUBLISH_DELAY: String(PUBLISH_DELAY_MS / 1000),
    });

    beforeAll(async () => {
      database = pg.createDatabase('replicas');
      // The production way to a first key: the keys CLI, before any replica starts. Made an
      // hour ago, so it has long been the signer and a rotation can be timed (see below).
      const first = await cli(runKeysCommand, ['rotate'], cliEnv(), Date.now() - 3_600_000);
      expect(first.code).toBe(0);
      const env = authEnv(database, { AUTH_RATE_LIMIT: '0' });
      const ports = await Promise.all(Array.from({ length: 5 }, freePort));
      auth = (await Promise.all([
        start('auth-service', ports[0]!, env),
        start('auth-service', ports[1]!, env),
      ])) as [ServiceProcess, ServiceProcess];
      await Promise.all(auth.map((replica) => replica.ready()));
      const apiEnv = {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        // As in compose.scale.yaml: the key set through the gateway, from either auth replica.
        JWKS_URL: `${url}/auth/.well-known/jwks.json`,
        JWT_ISSUER: `${url}/auth`,
        // The publish delay is compressed to seconds below, so is the key set's cache.
        JWKS_CACHE_MAX_AGE: '2',
      };
      api = (await Promise.all([
        start('api-service', ports[2]!, apiEnv),
        start('api-service', ports[3]!, apiEnv),
      ])) as [ServiceProcess, ServiceProcess];
      gateway = await start('gateway', Number(new URL(url).port), {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PUBLIC_URL: url,
        AUTH_SERVICE_URL: auth.map((replica) => replica.url).join(','),
        API_SERVICE_URL: api.map((replica) => replica.url).join(','),
        METRICS_PORT: String(ports[4]),
      });
      await Promise.all([...api, gateway].map((service) => service.ready()));
    }, 60_000);

    /** Signs in through the gateway. */
    async function signIn() {
      const client = new CookieClient();
      const landed = await client.request(`${url}/auth/login?returnTo=%2F`);
      expect(landed.url).toBe(`${url}/`);
      return client;
    }
    /** The browser's session cookies, to call one replica directly (set for the gateway). */
    const cookies = (client: CookieClient) =>
      ['gatehouse_session', 'gatehouse_session.sig']
        .map((name) => `${name}=${client.cookie(url, name) ?? ''}`)
        .join('; ');
    const token = (client: CookieClient, origin: string) =>
      fetch(`${origin}/auth/token`, {
        method: 'POST',
        headers: { origin: url, cookie: cookies(client) },
      });
    const accessToken = async (client: CookieClient, origin: string) => {
      const res = await token(client, origin);
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const me = (origin: string, accessToken: string) =>
      fetch(`${origin}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });

    it('when a session is made on one auth replica, then the other issues tokens for it, and a logout on one ends it on the other', async () => {
      const client = await signIn();
      expect((await token(client, auth[0].url)).status).toBe(200);
      expect((await token(client, auth[1].url)).status).toBe(200);
      const logout = await fetch(`${auth[0].url}/auth/logout`, {
        method: 'POST',
        headers: { origin: url, cookie: cookies(client) },
        redirect: 'manual',
      });
      expect(logout.status).toBeLessThan(400);
      const refused = await token(client, auth[1].url);
      expect(refused.status).toBe(401);
    });

    it('when a user is disabled with the CLI, then every auth replica refuses them', async () => {
      const client = await signIn();
      for (const replica of auth) expect((await token(client, replica.url)).status).toBe(200);
      const env = { DATABASE_URL: database };
      expect(await cli(runUsersCommand, ['disable', 'developer@example.com'], env)).toMatchObject({
        code: 0,
      });
      for (const replica of auth) expect((await token(client, replica.url)).status).toBe(401);
      expect(await cli(runUsersCommand, ['enable', 'developer@example.com'], env)).toMatchObject({
        code: 0,
      });
      // The disable revoked the user's tokens up to this whole second (README, "Revocation"):
      // the tests after this one sign in again once it is over.
      const disabledSecond = Math.floor(Date.now() / 1000);
      await until(
        'the second of the disable over',
        2000,
        async () => Math.floor(Date.now() / 1000) > disabledSecond,
      );
    });

    it('when a key is rotated with the CLI, then both auth replicas publish it with one ETag, both sign with it after the publish delay, and both api replicas verify old and new tokens', async () => {
      // The publish delay cannot pass in a test, so the rotation is dated back by all of it
      // but a few seconds: the new key then starts signing LEAD_MS from now, as it would
      // KEY_PUBLISH_DELAY after a rotation made now.
      const LEAD_MS = 10_000;
      const rotatedAt = Date.now() - (PUBLISH_DELAY_MS - LEAD_MS);
      const activatesAt = rotatedAt + PUBLISH_DELAY_MS;
      const client = await signIn();
      const signingKids = async () =>
        Promise.all(
          auth.map(
            async (replica) => decodeProtectedHeader(await accessToken(client, replica.url)).kid,
          ),
        );
      const before = await signingKids();
      expect(before[1]).toBe(before[0]);
      const oldToken = await accessToken(client, auth[0].url);

      const rotation = await cli(runKeysCommand, ['rotate'], cliEnv(), rotatedAt);
      expect(rotation.code).toBe(0);
      const next = /key (\S+?):? /.exec(rotation.lines.at(-1)!)![1]!;
      expect(next).not.toBe(before[0]);
      await until('both auth replicas publishing the new key', 5000, async () => {
        const sets = await Promise.all(
          auth.map(async (replica) => {
            const res = await fetch(`${replica.url}/auth/.well-known/jwks.json`);
            const { keys } = (await res.json()) as { keys: { kid: string }[] };
            return { etag: res.headers.get('etag'), kids: keys.map((k) => k.kid) };
          }),
        );
        return sets.every((s) => s.kids.includes(next)) && sets[0]!.etag === sets[1]!.etag;
      });
      // Published, not signing yet (the wait above is bounded well below LEAD_MS).
      expect(Date.now()).toBeLessThan(activatesAt);
      expect(await signingKids()).toEqual(before);

      await until('both auth replicas signing with the new key', LEAD_MS + 5000, async () =>
        (await signingKids()).every((kid) => kid === next),
      );
      expect(Date.now()).toBeGreaterThanOrEqual(activatesAt);
      expect(await signingKids()).toEqual([next, next]);
      const newToken = await accessToken(client, auth[1].url);
      for (const replica of api) {
        expect((await me(replica.url, oldToken)).status).toBe(200);
        expect((await me(replica.url, newToken)).status).toBe(200);
      }
    });

    it('when the database stops under traffic and comes back, then the APIs keep verifying, auth routes answer 503 meanwhile and recover by themselves', async () => {
      const client = await signIn();
      const bearer = await accessToken(client, url);
      const apiTraffic = startTraffic(() => me(url, bearer), 2);
      const authTraffic = startTraffic(() => token(client, url), 2);
      await until('tokens flowing before the database stops', 5000, async () =>
        authTraffic.seen().some((r) => r.status === 200),
      );
      pg.stop();
      try {
        await until(
          'auth-service /readyz answering 503',
          5000,
          async () => (await fetch(`${auth[0].url}/readyz`)).status === 503,
        );
        await until('the auth routes answering 503 under traffic', 10_000, async () =>
          authTraffic.seen().some((r) => r.status === 503),
        );
      } finally {
        pg.start();
      }
      await until(
        'tokens again once the database is back',
        15_000,
        async () => (await token(client, url)).status === 200,
      );
      await until(
        'the traffic answered again, and enough of it',
        10_000,
        async () => authTraffic.seen().at(-1)?.status === 200 && apiTraffic.seen().length > 50,
      );
      const [apiResults, authResults] = await Promise.all([apiTraffic.stop(), authTraffic.stop()]);
      const statuses = (results: TrafficResult[]) => [...new Set(results.map((r) => r.status))];
      expect(apiResults.length).toBeGreaterThan(50);
      expect(statuses(apiResults)).toEqual([200]);
      expect(statuses(authResults).sort()).toEqual([200, 503]);
      const unavailable = authResults.filter((r) => r.status === 503);
      expect([...new Set(unavailable.map((r) => r.error))]).toEqual(['temporarily_unavailable']);
      expect(authResults.at(-1)!.status).toBe(200);
      for (const replica of auth) await replica.ready(10_000);
    }, 60_000);

    it('when an auth replica is killed under load, then the gateway routes around it', async () => {
      const client = await signIn();
      const bearer = await accessToken(client, url);
      const traffic = [
        startTraffic(() => token(client, url), 2),
        startTraffic(
          () => fetch(`${url}/auth/session`, { headers: { cookie: cookies(client) } }),
          2,
        ),
        startTraffic(() => me(url, bearer), 2),
      ];
      await until('all three kinds of traffic answered', 5000, async () =>
        traffic.every((t) => t.seen().some((r) => r.status === 200)),
      );
      const exited = new Promise((resolve) => auth[0].child.once('exit', resolve));
      auth[0].child.kill('SIGKILL');
      await exited;
      // Requests sent before this instant may have been in flight on the killed replica.
      const killedAt = Date.now();
      await until(
        'more than 50 requests sent after the kill answered',
        10_000,
        async () =>
          traffic.flatMap((t) => t.seen()).filter((r) => r.startedAt > killedAt).length > 50,
      );
      const results = (await Promise.all(traffic.map((t) => t.stop()))).flat();
      // Only what was in flight on the killed replica may fail, as 502 (a reset POST is not
      // retried); everything sent after the kill is answered by the other replica.
      const failed = results.filter((r) => r.status !== 200);
      expect(failed.length).toBeLessThanOrEqual(4);
      expect(failed.every((r) => r.status === 502 && r.startedAt <= killedAt)).toBe(true);
      const after = results.filter((r) => r.startedAt > killedAt);
      expect(after.length).toBeGreaterThan(50);
      expect(after.every((r) => r.status === 200)).toBe(true);
      expect(auth[0].child.signalCode).toBe('SIGKILL');
      expect(auth[1].child.exitCode).toBeNull();
    }, 30_000);
  });
});
