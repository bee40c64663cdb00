import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { responseRewrites } from '../src/proxy/response-rewrites.js';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

const PUBLIC = 'https://app.example.com';
const UPSTREAM = 'http://reports:8000';

describe('response rewrites', () => {
  const stripped = responseRewrites(UPSTREAM, PUBLIC, '/reports');
  const plain = responseRewrites(UPSTREAM, PUBLIC);

  it.each([
    ['/login', '/reports/login'],
    ['/', '/reports'],
    ['/a?next=/b#c', '/reports/a?next=/b#c'],
    [`${UPSTREAM}/x?y=1`, `${PUBLIC}/reports/x?y=1`],
    [UPSTREAM, `${PUBLIC}/reports`],
    [`${UPSTREAM}?q`, `${PUBLIC}/reports?q`],
    ['relative/page', 'relative/page'],
    ['//cdn.example/x', '//cdn.example/x'],
    ['https://elsewhere.example/x', 'https://elsewhere.example/x'],
    [`${UPSTREAM}0/x`, `${UPSTREAM}0/x`],
  ])('when a stripped route answers Location %s, then the client sees %s', (given, seen) => {
    expect(stripped.location(given)).toBe(seen);
  });

  it.each([
    ['sid=1; Path=/; HttpOnly', 'sid=1; Path=/reports; HttpOnly'],
    ['sid=1; path=/admin', 'sid=1; path=/reports/admin'],
    ['sid=1; HttpOnly; Path = /x ; Secure', 'sid=1; HttpOnly; Path = /reports/x; Secure'],
    ['sid=1; HttpOnly', 'sid=1; HttpOnly'],
    ['sid=1; Path=relative', 'sid=1; Path=relative'],
  ])('when a stripped route sets cookie %s, then the client gets %s', (given, seen) => {
    expect(stripped.setCookie?.(given)).toBe(seen);
  });

  it('when no prefix is stripped, then only the upstream origin is rewritten and cookies pass', () => {
    expect(plain.location(`${UPSTREAM}/x`)).toBe(`${PUBLIC}/x`);
    expect(plain.location('/login')).toBe('/login');
    expect(plain.setCookie).toBeUndefined();
  });
});

describe('strip_prefix through the gateway', () => {
  let auth: TestUpstream;
  let reports: TestUpstream;
  let gateway: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    auth = await startUpstream();
    reports = await startUpstream((req, res) => {
      res.writeHead(302, [
        'Location',
        req.url === '/absolute' ? `${reports.url}/done` : '/login?next=%2F',
        'Set-Cookie',
        'a=1; Path=/; HttpOnly',
        'Set-Cookie',
        'b=2; Path=/admin',
        'Set-Cookie',
        'c=3',
      ]);
      res.end();
    });
    file = tempRoutesFile(`routes:
  - { name: reports, path: /reports, to: ${reports.url}, auth: public, strip_prefix: true }
  - { name: kept, path: /kept, to: ${reports.url}, auth: public }
`);
    gateway = await startGateway({
      AUTH_SERVICE_URL: auth.url,
      ROUTES_FILE: file.path,
      PUBLIC_URL: PUBLIC,
    });
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), reports.close()]);
    file.remove();
  });

  it('when the upstream of a stripped route redirects to its own path, then the Location carries the prefix', async () => {
    const reply = await send(gateway.port, '/reports/x');
    expect(reports.seen.at(-1)!.url).toBe('/x');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/reports/login?next=%2F');
  });

  it('when it redirects to its own origin, then the Location is the public origin and the prefix', async () => {
    const reply = await send(gateway.port, '/reports/absolute');
    expect(reply.headers.location).toBe(`${PUBLIC}/reports/done`);
  });

  it('when it sets cookies, then their paths carry the prefix, each cookie kept apart', async () => {
    const reply = await send(gateway.port, '/reports/x');
    expect(reply.headers['set-cookie']).toEqual([
      'a=1; Path=/reports; HttpOnly',
      'b=2; Path=/reports/admin',
      'c=3',
    ]);
  });

  it('when the route does not strip its prefix, then paths pass unchanged', async () => {
    const reply = await send(gateway.port, '/kept/x');
    expect(reply.headers.location).toBe('/login?next=%2F');
    expect(reply.headers['set-cookie']).toEqual([
      'a=1; Path=/; HttpOnly',
      'b=2; Path=/admin',
      'c=3',
    ]);
  });
});
