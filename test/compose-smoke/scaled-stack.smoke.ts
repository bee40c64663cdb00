import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CookieClient } from '../support/cookie-client.js';
import { freePort } from '../support/free-port.js';
import { ComposeProject } from './support/compose-project.js';
import { until } from '../support/until.js';
import { emptyEnvFile } from './support/smoke-helpers.js';

/**
 * `docker compose -f docker-compose.yml -f compose.scale.yaml up`, for real: PostgreSQL, two
 * auth-service and two api-service replicas behind the gateway, used only through the
 * published ports. In order, on one stack: up with no `.env` (both auth replicas at once on
 * the empty database, agreeing on one development key), sign in, show that both auth replicas
 * serve the one session and both api replicas answer, stop one auth replica and keep signing
 * tokens through the gateway, then down with the volumes.
 *
 * Which replica answered is read from the services' own access logs (at debug, since the
 * gateway already logs every request at info), by the request id the gateway puts on every
 * request and returns in X-Request-Id. The PostgreSQL image comes from
 * POSTGRES_IMAGE when set (CI's stand-in, .ci/postgres-image), else the official default.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CALLS = 8;
const EMAIL = 'replicas@example.com';
const SERVICES = [
  'api-service',
  'api-service-2',
  'auth-service',
  'auth-service-2',
  'dev-idp',
  'gateway',
  'postgres',
];

const emptyEnv = emptyEnvFile('gatehouse-compose-scale-');
let stack: ComposeProject;
let gateway = '';
const client = new CookieClient();
const timings: Record<string, string> = {};

/** The request ids of `path` in one service's access log ("msg":"request" lines). */
async function servedBy(service: string, path: string): Promise<Set<string>> {
  const { stdout } = await stack.ok('logs', '--no-color', service);
  const ids = new Set<string>();
  for (const line of stdout.split('\n')) {
    const json = line.slice(line.indexOf('{'));
    if (!json.startsWith('{')) continue;
    try {
      const entry = JSON.parse(json) as { msg?: string; path?: string; request_id?: string };
      if (entry.msg === 'request' && entry.path === path && entry.request_id)
        ids.add(entry.request_id);
    } catch {
      // Not a log line of the service (compose's own prefix on a wrapped line).
    }
  }
  return ids;
}

/** Which of `services` logged each request id: every id exactly once, by service. */
async function whoServed(services: string[], path: string, requestIds: string[]) {
  const logs = await Promise.all(services.map((s) => servedBy(s, path)));
  return Object.fromEntries(
    services.map((s, i) => [s, requestIds.filter((id) => logs[i]!.has(id)).length]),
  );
}

async function newToken(): Promise<{ status: number; token?: string; requestId: string }> {
  const res = await client.request(`${gateway}/auth/token`, {
    method: 'POST',
    headers: { origin: gateway },
  });
  const requestId = res.headers.get('x-request-id') ?? '';
  if (res.status !== 200) return { status: res.status, requestId };
  return { status: 200, token: res.json<{ access_token: string }>().access_token, requestId };
}

async function callApi(token: string) {
  const res = await fetch(`${gateway}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { email?: string };
  return { status: res.status, email: body.email, requestId: res.headers.get('x-request-id')! };
}

beforeAll(async () => {
  const [gatewayPort, devIdpPort] = [await freePort(), await freePort()];
  gateway = `http://localhost:${gatewayPort}`;
  stack = new ComposeProject(
    root,
    ['docker-compose.yml', 'compose.scale.yaml'],
    {
      GATEWAY_PORT: String(gatewayPort),
      PUBLIC_URL: gateway,
      DEV_IDP_PORT: String(devIdpPort),
      // The services' access log lines, which say which replica served a request id.
      LOG_LEVEL: 'debug',
    },
    emptyEnv.path,
  );
  const started = Date.now();
  await stack.ok('build');
  timings.build = `${((Date.now() - started) / 1000).toFixed(1)} s`;
}, 900_000);

afterAll(async () => {
  if (stack) await stack.compose('down', '-v', '--remove-orphans', '--rmi', 'local');
  emptyEnv.remove();
  console.info(`scaled compose smoke timings: ${JSON.stringify(timings)}`);
}, 120_000);

describe('docker compose with compose.scale.yaml (PostgreSQL, two replicas each)', () => {
  let token = '';

  it('when it starts with no .env, then PostgreSQL and every replica are healthy and the gateway is ready', async () => {
    const started = Date.now();
    await stack.ok('up', '-d');
    await until('every service healthy', 90_000, () => stack.healthy(SERVICES));
    await until('gateway ready', 30_000, async () =>
      (await fetch(`${gateway}/readyz`)).ok ? true : undefined,
    );
    timings.healthy = `${((Date.now() - started) / 1000).toFixed(1)} s`;

    const { stdout } = await stack.ok('logs', '--no-color', 'auth-service', 'auth-service-2');
    expect(stdout).not.toMatch(/"level":"(error|fatal)"/);
    // Both replicas started together on the empty database: one development key between them.
    expect(stdout.match(/DEVELOPMENT: generated a signing key/g)).toHaveLength(1);
    const jwks = (await (await fetch(`${gateway}/auth/.well-known/jwks.json`)).json()) as {
      keys: unknown[];
    };
    expect(jwks.keys).toHaveLength(1);
  }, 120_000);

  it("when it runs, then each second replica runs its first replica's image (the same build, from the cache)", async () => {
    const images = new Map((await stack.containers()).map((c) => [c.service, c.image]));

    expect(images.get('auth-service-2')).toBe(images.get('auth-service'));
    expect(images.get('api-service-2')).toBe(images.get('api-service'));
    expect(images.get('auth-service')).not.toBe(images.get('api-service'));
  });

  it('when a user signs in at the dev-idp, then both auth replicas know the one session (it lives in PostgreSQL)', async () => {
    const signInPage = await client.request(`${gateway}/auth/login?returnTo=/`);
    expect(signInPage.status).toBe(200);
    const action = /<form[^>]*action="([^"]+)"/.exec(signInPage.text)?.[1]?.replace(/&amp;/g, '&');
    expect(action).toBeDefined();
    const formUrl = new URL(action!, signInPage.url);
    const back = await client.request(formUrl.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: formUrl.origin },
      body: new URLSearchParams({ email: EMAIL, name: 'Two Replicas' }).toString(),
    });
    expect(back.status).toBe(200);

    const requestIds: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const session = await client.request(`${gateway}/auth/session`);
      expect({ status: session.status, body: session.json() }).toMatchObject({
        status: 200,
        body: { email: EMAIL },
      });
      requestIds.push(session.headers.get('x-request-id')!);
    }

    const served = await whoServed(['auth-service', 'auth-service-2'], '/auth/session', requestIds);
    expect(served['auth-service']! + served['auth-service-2']!).toBe(CALLS);
    expect(served['auth-service']).toBeGreaterThan(0);
    expect(served['auth-service-2']).toBeGreaterThan(0);
  }, 60_000);

  it('when the session gets a token and calls the API repeatedly, then both api replicas answer', async () => {
    const issued = await newToken();
    expect(issued.status).toBe(200);
    token = issued.token!;

    const calls = [];
    for (let i = 0; i < CALLS; i++) calls.push(await callApi(token));

    for (const call of calls) expect(call).toMatchObject({ status: 200, email: EMAIL });
    const served = await whoServed(
      ['api-service', 'api-service-2'],
      '/api/me',
      calls.map((c) => c.requestId),
    );
    expect(served['api-service']! + served['api-service-2']!).toBe(CALLS);
    expect(served['api-service']).toBeGreaterThan(0);
    expect(served['api-service-2']).toBeGreaterThan(0);
  }, 60_000);

  it('when one auth replica is stopped, then sign-in state, tokens and the API keep working through the gateway', async () => {
    await stack.ok('stop', 'auth-service-2');
    const containers = await stack.containers();
    expect(containers.find((c) => c.service === 'auth-service-2')?.state).toBe('exited');

    const statuses: number[] = [];
    const requestIds: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const session = await client.request(`${gateway}/auth/session`);
      statuses.push(session.status);
      const issued = await newToken();
      statuses.push(issued.status);
      requestIds.push(issued.requestId);
      if (issued.token) statuses.push((await callApi(issued.token)).status);
    }
    // The earlier token still verifies: its key came from PostgreSQL, not the stopped replica.
    statuses.push((await callApi(token)).status);

    expect(statuses).toEqual(new Array(3 * CALLS + 1).fill(200));
    expect(await whoServed(['auth-service'], '/auth/token', requestIds)).toEqual({
      'auth-service': CALLS,
    });
    const ready = await fetch(`${gateway}/readyz`);
    expect(ready.status).toBe(200);
  }, 60_000);

  it('when the logs are read, then no Gatehouse service logged an error', async () => {
    const { stdout } = await stack.ok('logs', '--no-color');
    const errors = stdout.split('\n').filter((line) => /"level":"(error|fatal)"/.test(line));

    expect(errors).toEqual([]);
  });

  it('when the stack is taken down with its volumes, then nothing of it is left, the database included', async () => {
    await stack.ok('down', '-v', '--rmi', 'local');

    expect(await stack.leftovers()).toEqual([]);
    expect(await stack.images()).toEqual([]);
  }, 60_000);
});
