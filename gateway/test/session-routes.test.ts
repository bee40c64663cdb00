import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { ISSUER_PUBLIC_URL } from './support/issuer.js';
import { startRoutedGateway, type RoutedGateway } from './support/routed-gateway.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

const NAVIGATION = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate' };
const SCRIPT = { accept: 'application/json', 'sec-fetch-mode': 'cors' };
const PASS_URL = `${ISSUER_PUBLIC_URL}/auth/pass?returnTo=`;

describe('session routes: the gateway pass cookie', () => {
  let routed: RoutedGateway;
  let issuer: RoutedGateway['issuer'];
  let app: TestUpstream;
  let gateway: TestGateway;
  /** Added to the gateway's clock (renewal); the verifier keeps real time. */
  let shift = 0;

  beforeAll(async () => {
    app = await startUpstream();
    routed = await startRoutedGateway(
      `routes:
  - { name: dash, path: /dash, to: ${app.url}, auth: session }
  - { name: admin-ui, path: /admin-ui, to: ${app.url}, auth: session, allow: { roles: [admin] } }
  - { name: reports, path: /reports, to: ${app.url}, auth: token }
`,
      app,
      { deps: { clock: () => Date.now() + shift } },
    );
    ({ issuer, gateway } = routed);
  });

  afterAll(() => routed.close());

  const pass = (claims: Record<string, unknown> = {}) =>
    issuer.token({ aud: ISSUER_PUBLIC_URL, ...claims });
  const withPass = async (claims: Record<string, unknown> = {}) => ({
    cookie: `theme=dark; gatehouse=${await pass(claims)}; lang=en`,
  });
  const seen = () => app.seen[app.seen.length - 1]!;

  it('when a browser navigates without a pass, then 302 through /auth/pass back to the same URL and query', async () => {
    const before = app.seen.length;
    const reply = await send(gateway.port, '/dash/board?tab=2&x=%2F', { headers: NAVIGATION });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(
      `${PASS_URL}${encodeURIComponent('/dash/board?tab=2&x=%2F')}`,
    );
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(app.seen.length).toBe(before);
  });

  it.each([
    ['a script (Sec-Fetch-Mode: cors)', SCRIPT],
    ['an HTML Accept from a script', { accept: 'text/html', 'sec-fetch-mode': 'cors' }],
    ['a CLI (no Accept)', {}],
  ])('when %s calls without a pass, then 401 JSON with the plain challenge', async (_, headers) => {
    const reply = await send(gateway.port, '/dash/data', { headers });
    expect(reply.status).toBe(401);
    expect(reply.json()).toMatchObject({ error: 'unauthorized' });
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it('when a POST navigation comes without a pass, then 401, not a redirect that would drop the body', async () => {
    const reply = await send(gateway.port, '/dash/form', {
      method: 'POST',
      headers: { ...NAVIGATION, origin: ISSUER_PUBLIC_URL },
    });
    expect(reply.status).toBe(401);
  });

  it('when the pass is valid, then the upstream gets the identity, the assertion and the other cookies, never the pass', async () => {
    const reply = await send(gateway.port, '/dash/board', {
      headers: { ...NAVIGATION, ...(await withPass()) },
    });
    expect(reply.status).toBe(200);
    const { headers } = seen();
    expect(headers['x-gatehouse-email']).toBe('ada@example.com');
    expect(headers['x-gatehouse-sub']).toBe('user-1');
    expect(headers['x-gatehouse-assertion']).toMatch(/^ey/);
    expect(headers.cookie).toBe('theme=dark; lang=en');
  });

  it('when the pass is the only cookie, then the upstream gets no Cookie header at all', async () => {
    await send(gateway.port, '/dash/board', {
      headers: { ...SCRIPT, cookie: `gatehouse=${await pass()}` },
    });
    expect(seen().headers.cookie).toBeUndefined();
  });

  it('when a public or token route is called with a pass cookie, then its upstream never sees the pass either', async () => {
    await send(gateway.port, '/reports/x', {
      headers: { authorization: `Bearer ${await issuer.token()}`, ...(await withPass()) },
    });
    expect(seen().headers.cookie).toBe('theme=dark; lang=en');
  });

  it('when the pass has expired, then a script gets 401 invalid_token and a navigation goes for a new one', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cookie = `gatehouse=${await pass({ iat: now - 700, exp: now - 100 })}`;
    const script = await send(gateway.port, '/dash/data', { headers: { ...SCRIPT, cookie } });
    expect(script.status).toBe(401);
    expect(script.json()).toMatchObject({ error: 'invalid_token' });
    const navigation = await send(gateway.port, '/dash/x', { headers: { ...NAVIGATION, cookie } });
    expect(navigation.status).toBe(302);
    expect(navigation.headers.location).toBe(`${PASS_URL}%2Fdash%2Fx`);
  });

  it('when the cookie holds what no new pass would mend (an API token: another audience), then 401 even on a navigation, never a redirect loop', async () => {
    const cookie = `gatehouse=${await issuer.token()}`;
    for (const headers of [SCRIPT, NAVIGATION]) {
      const reply = await send(gateway.port, '/dash/x', { headers: { ...headers, cookie } });
      expect(reply.status).toBe(401);
      expect(reply.json()).toMatchObject({ error: 'invalid_token' });
    }
  });

  it('when a pass is sent as a Bearer token, then no route takes it', async () => {
    const authorization = `Bearer ${await pass()}`;
    for (const path of ['/reports/x', '/dash/x']) {
      const reply = await send(gateway.port, path, { headers: { authorization } });
      expect(reply.status).toBe(401);
      expect(reply.json()).toMatchObject({ error: 'invalid_token' });
    }
  });

  it("when a session route gets a Bearer token, then the app's scripts get through without a cookie", async () => {
    const reply = await send(gateway.port, '/dash/data', {
      headers: { ...SCRIPT, authorization: `Bearer ${await issuer.token()}` },
    });
    expect(reply.status).toBe(200);
    expect(seen().headers['x-gatehouse-email']).toBe('ada@example.com');
  });

  it.each([
    ['another Origin', 403, { origin: 'http://evil.test' }],
    ['Sec-Fetch-Site cross-site and no Origin', 403, { 'sec-fetch-site': 'cross-site' }],
    ['neither Origin nor Sec-Fetch-Site', 403, {}],
    ['its own Origin', 200, { origin: ISSUER_PUBLIC_URL }],
    ['Sec-Fetch-Site same-origin', 200, { 'sec-fetch-site': 'same-origin' }],
  ])('when a POST carried by the pass comes with %s, then %i', async (_, status, headers) => {
    const before = app.seen.length;
    const reply = await send(gateway.port, '/dash/save', {
      method: 'POST',
      headers: { ...SCRIPT, ...headers, ...(await withPass()) },
    });
    expect(reply.status).toBe(status);
    if (status === 403) {
      expect(reply.json()).toMatchObject({ error: 'cross_site_request' });
      expect(app.seen.length).toBe(before);
    }
  });

  it("when the route's allow refuses the pass's user, then 403 insufficient_scope", async () => {
    const refused = await send(gateway.port, '/admin-ui/', {
      headers: { ...NAVIGATION, ...(await withPass()) },
    });
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'insufficient_scope' });
    const allowed = await send(gateway.port, '/admin-ui/', {
      headers: { ...NAVIGATION, ...(await withPass({ roles: ['admin'] })) },
    });
    expect(allowed.status).toBe(200);
  });

  it('when a navigation comes past half the pass lifetime, then it is renewed through /auth/pass, while scripts still pass', async () => {
    const headers = await withPass();
    shift = 6 * 60_000; // the test pass lives 10 minutes
    try {
      const navigation = await send(gateway.port, '/dash/board', {
        headers: { ...NAVIGATION, ...headers },
      });
      expect(navigation.status).toBe(302);
      expect(navigation.headers.location).toBe(`${PASS_URL}%2Fdash%2Fboard`);
      const script = await send(gateway.port, '/dash/data', { headers: { ...SCRIPT, ...headers } });
      expect(script.status).toBe(200);
    } finally {
      shift = 0;
    }
  });

  it('when the policy decides, then the log names the rule and never the pass', async () => {
    const token = await pass();
    await send(gateway.port, '/dash/logged', {
      headers: { ...SCRIPT, cookie: `gatehouse=${token}` },
    });
    await send(gateway.port, '/dash/logged', { headers: NAVIGATION });
    const decisions = gateway.logs.filter((line) => line.msg === 'policy decision');
    expect(decisions).toContainEqual(expect.objectContaining({ route: 'dash', decision: 'allow' }));
    expect(decisions).toContainEqual(
      expect.objectContaining({ route: 'dash', decision: 'deny', rule: 'no-pass' }),
    );
    expect(JSON.stringify(gateway.logs)).not.toContain(token);
  });
});
