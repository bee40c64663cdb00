import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@gatehouse/shared';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

const lastSeen = (upstream: TestUpstream) => upstream.seen[upstream.seen.length - 1]!;

describe('routes from ROUTES_FILE', () => {
  let auth: TestUpstream;
  let reports: TestUpstream;
  let v2: TestUpstream;
  let slow: TestUpstream;
  let gateway: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    [auth, reports, v2, slow] = await Promise.all([
      startUpstream(),
      startUpstream(),
      startUpstream(),
      startUpstream((_req, res) => {
        setTimeout(() => res.end('late'), 2_000).unref();
      }),
    ]);
    file = tempRoutesFile(`routes:
  - { name: reports, path: /reports, to: "\${REPORTS_URL}", auth: public }
  - { name: reports-v2, path: /reports/v2, to: ${v2.url}, auth: public, strip_prefix: true }
  - { name: read-only, path: /ro, to: ${reports.url}, auth: public, methods: [GET, post] }
  - { name: slow, path: /slow, to: ${slow.url}, auth: public, timeout_ms: 200 }
  - { name: down, path: /down, to: "http://127.0.0.1:9", auth: public }
`);
    gateway = await startGateway(
      { AUTH_SERVICE_URL: auth.url, ROUTES_FILE: file.path, READINESS_TIMEOUT_MS: '500' },
      { env: { REPORTS_URL: reports.url } },
    );
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth, reports, v2, slow].map((u) => u.close()));
    file.remove();
  });

  it('when a path is under a route, then its upstream sees it unchanged', async () => {
    const reply = await send(gateway.port, '/reports/2026/q1?x=1');
    expect(reply.status).toBe(200);
    expect(lastSeen(reports).url).toBe('/reports/2026/q1?x=1');
  });

  it('when two prefixes match, then the longest wins and strip_prefix removes it', async () => {
    await send(gateway.port, '/reports/v2/a?b=1');
    expect(lastSeen(v2).url).toBe('/a?b=1');
    await send(gateway.port, '/reports/v2');
    expect(lastSeen(v2).url).toBe('/');
  });

  it('when percent-encoded letters spell a longer prefix, then the longer route gets it, normalised', async () => {
    await send(gateway.port, '/reports/%76%32/x');
    expect(lastSeen(v2).url).toBe('/x');
  });

  it.each(['/reportsX', '/reports-old/x', '/api/me', '/'])(
    'when %s matches no route, then no upstream sees it',
    async (path) => {
      const before = reports.seen.length + v2.seen.length;
      const reply = await send(gateway.port, path);
      expect(reply.status).toBe(path === '/' ? 200 : 404);
      expect(reports.seen.length + v2.seen.length).toBe(before);
    },
  );

  it('when a method is not listed, then 405 with Allow (GET implies HEAD)', async () => {
    const reply = await send(gateway.port, '/ro/x', { method: 'DELETE' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, POST, HEAD');
    expect(reply.json()).toMatchObject({ error: 'method_not_allowed' });
    expect((await send(gateway.port, '/ro/x', { method: 'HEAD' })).status).toBe(200);
  });

  it('when a path escapes its route, then 400 before any upstream', async () => {
    const reply = await send(gateway.port, '/reports/..;/admin');
    expect(reply.status).toBe(400);
  });

  it("when a route's upstream is slower than its timeout_ms, then 504 from that route only", async () => {
    const started = performance.now();
    const reply = await send(gateway.port, '/slow');
    expect(reply.status).toBe(504);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("when one route's upstream is down, then it is 502 and the others serve", async () => {
    const [down, up] = await Promise.all([
      send(gateway.port, '/down/x'),
      send(gateway.port, '/reports/x'),
    ]);
    expect(down.status).toBe(502);
    expect(up.status).toBe(200);
  });

  it('when /readyz is asked, then each route is reported and a route down does not decide', async () => {
    const reply = await send(gateway.port, '/readyz');
    const report = reply.json<{
      ready: boolean;
      details: { routes: Record<string, { ready: boolean }> };
    }>();
    expect(reply.status).toBe(200);
    expect(report.details.routes).toMatchObject({
      reports: { ready: true },
      'reports-v2': { ready: true },
      down: { ready: false },
    });
  });

  it('when /auth is asked, then the auth-service still answers it', async () => {
    await send(gateway.port, '/auth/session');
    expect(lastSeen(auth).url).toBe('/auth/session');
  });
});

describe('the default routes file', () => {
  it('when ROUTES_FILE is deploy/routes/routes.yaml, then /api goes to API_SERVICE_URL as without it', async () => {
    const [auth, api] = await Promise.all([startUpstream(), startUpstream()]);
    const env = { AUTH_SERVICE_URL: auth.url, API_SERVICE_URL: api.url };
    const gateway = await startGateway(
      { ...env, ROUTES_FILE: 'deploy/routes/routes.yaml' },
      { env },
    );
    try {
      const reply = await send(gateway.port, '/api/me?x=1', { method: 'PATCH' });
      expect(reply.status).toBe(200);
      expect(lastSeen(api)).toMatchObject({ method: 'PATCH', url: '/api/me?x=1' });
      expect((await send(gateway.port, '/apix')).status).toBe(404);
    } finally {
      await gateway.close();
      await Promise.all([auth.close(), api.close()]);
    }
  });

  it('when ROUTES_FILE is invalid, then start-up fails listing every problem', async () => {
    const file = tempRoutesFile('routes:\n  - { name: a, path: /auth, to: x }\n');
    try {
      const failed = startGateway({ ROUTES_FILE: file.path });
      await expect(failed).rejects.toBeInstanceOf(ConfigError);
      await expect(failed).rejects.toMatchObject({
        problems: [
          expect.stringMatching(/^ROUTES_FILE route "a" \(routes\[0\]\) path: must not be/),
          expect.stringMatching(/^ROUTES_FILE route "a" \(routes\[0\]\) to.0: /),
        ],
      });
    } finally {
      file.remove();
    }
  });
});
