import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { ISSUER_PUBLIC_URL, testIssuer } from './support/issuer.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

const NAVIGATION = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };
const PASS_URL = `${ISSUER_PUBLIC_URL}/auth/pass?returnTo=`;

describe('GET /auth/verify: forward auth for another proxy', () => {
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let auth: TestUpstream;
  let app: TestUpstream;
  let trusting: TestGateway;
  let untrusting: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    issuer = await testIssuer();
    [auth, app] = await Promise.all([startUpstream(issuer.handler), startUpstream()]);
    file = tempRoutesFile(
      `routes:
  - { name: grafana, path: /grafana, to: ${app.url}, auth: session }
  - { name: reports, path: /reports, to: ${app.url}, auth: token, allow: { roles: [analyst] } }
  - { name: reads, path: /reads, to: ${app.url}, auth: token, methods: [GET] }
  - { name: docs, path: /docs, to: ${app.url}, auth: public }
`,
    );
    const env = {
      AUTH_SERVICE_URL: auth.url,
      PUBLIC_URL: ISSUER_PUBLIC_URL,
      ROUTES_FILE: file.path,
      REVOCATION_CHECK: 'off',
    };
    [trusting, untrusting] = await Promise.all([
      startGateway({ ...env, TRUSTED_PROXIES: '127.0.0.1' }),
      startGateway(env),
    ]);
  });

  afterAll(async () => {
    await Promise.all([trusting.close(), untrusting.close()]);
    await Promise.all([auth.close(), app.close()]);
    file.remove();
  });

  const verify = (headers: Record<string, string>, gateway = trusting, query = '') =>
    send(gateway.port, `/auth/verify${query}`, { headers });
  const traefik = (uri: string, method = 'GET') => ({
    'x-forwarded-method': method,
    'x-forwarded-proto': 'http',
    'x-forwarded-host': 'gatehouse.test',
    'x-forwarded-uri': uri,
  });
  const nginx = (uri: string, method = 'GET') => ({
    'x-original-method': method,
    'x-original-uri': uri,
  });
  const bearer = async (claims: Record<string, unknown> = {}) => ({
    authorization: `Bearer ${await issuer.token(claims)}`,
  });

  it('when a trusted proxy asks with a token the route allows, then 200 with the identity headers to copy, and nothing reaches the auth-service', async () => {
    const before = auth.seen.length;
    const reply = await verify({
      ...traefik('/reports/q?y=1'),
      ...(await bearer({ roles: ['analyst'] })),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-gatehouse-email']).toBe('ada@example.com');
    expect(reply.headers['x-gatehouse-roles']).toBe('analyst');
    expect(reply.headers['x-gatehouse-assertion']).toMatch(/^ey/);
    expect(reply.headers['cache-control']).toBe('no-store');
    // Only the warm-up's key fetch, before this request; none for it.
    expect(auth.seen.slice(before).filter((r) => r.url !== '/auth/.well-known/jwks.json')).toEqual(
      [],
    );
  });

  it("when the route's policy refuses, then 403 insufficient_scope", async () => {
    const reply = await verify({ ...nginx('/reports/q'), ...(await bearer()) });
    expect(reply.status).toBe(403);
    expect(reply.json()).toMatchObject({ error: 'insufficient_scope' });
    expect(reply.headers['x-gatehouse-sub']).toBeUndefined();
  });

  it('when no credential comes for a token route, then 401 with the challenge', async () => {
    const reply = await verify(nginx('/reports/q'));
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
  });

  it('when a browser navigates to a session route through a X-Forwarded-* proxy, then 302 to sign-in back to the original URL', async () => {
    const reply = await verify({ ...traefik('/grafana/d/1?orgId=2'), ...NAVIGATION });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(`${PASS_URL}${encodeURIComponent('/grafana/d/1?orgId=2')}`);
  });

  it('when the proxy is nginx (auth_request passes only 2xx, 401, 403), then 401 naming the sign-in URL in X-Gatehouse-Sign-In', async () => {
    const reply = await verify({ ...nginx('/grafana/d/1'), ...NAVIGATION });
    expect(reply.status).toBe(401);
    expect(reply.headers['x-gatehouse-sign-in']).toBe(`${PASS_URL}%2Fgrafana%2Fd%2F1`);
  });

  it('when ingress-nginx describes the request with X-Original-URL, then its path picks the route and sign-in is a 401 naming where to go', async () => {
    const reply = await verify({
      'x-original-url': 'https://gatehouse.test/grafana/d/1?x=1',
      'x-original-method': 'GET',
      ...NAVIGATION,
    });
    expect(reply.status).toBe(401);
    expect(reply.headers['x-gatehouse-sign-in']).toBe(
      `${PASS_URL}${encodeURIComponent('/grafana/d/1?x=1')}`,
    );
    const allowed = await verify({
      'x-original-url': 'https://gatehouse.test/reports/q',
      ...(await bearer({ roles: ['analyst'] })),
    });
    expect(allowed.status).toBe(200);
  });

  it('when the gateway pass comes, then a session route answers 200 with the identity', async () => {
    const pass = await issuer.token({ aud: ISSUER_PUBLIC_URL });
    const reply = await verify({
      ...traefik('/grafana/'),
      ...NAVIGATION,
      cookie: `gatehouse=${pass}`,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-gatehouse-sub']).toBe('user-1');
  });

  it('when the original method is not one the route lists, then 403', async () => {
    const reply = await verify({ ...traefik('/reads/x', 'DELETE'), ...(await bearer()) });
    expect(reply.status).toBe(403);
    expect(reply.json()).toMatchObject({ error: 'access_denied' });
  });

  it('when the route is public, then 200 with every identity header empty', async () => {
    const reply = await verify(traefik('/docs/intro'));
    expect(reply.status).toBe(200);
    for (const name of ['sub', 'email', 'roles', 'scope', 'client', 'assertion']) {
      expect(reply.headers[`x-gatehouse-${name}`]).toBe('');
    }
  });

  it.each(['/nothing/here', '/reports/../admin', '/reports/%2e%2e/x', '/reports%2Fx'])(
    'when the forwarded URI is %s (no route, or a path the gateway refuses), then 403, failing closed',
    async (uri) => {
      const reply = await verify({ ...traefik(uri), ...(await bearer({ roles: ['analyst'] })) });
      expect(reply.status).toBe(403);
    },
  );

  it('when ?route=NAME names the route, then its policy applies whatever the URI', async () => {
    const token = await bearer({ roles: ['analyst'] });
    expect((await verify(token, untrusting, '?route=reports')).status).toBe(200);
    expect((await verify(await bearer(), untrusting, '?route=reports')).status).toBe(403);
    expect((await verify(token, untrusting, '?route=nope')).status).toBe(403);
  });

  it('when a peer outside TRUSTED_PROXIES describes a request, then the description is ignored', async () => {
    // It would pick the public route for a caller without a credential.
    const reply = await verify(traefik('/docs/intro'), untrusting);
    expect(reply.status).toBe(403);
    expect(reply.json<{ error_description: string }>().error_description).toMatch(
      /TRUSTED_PROXIES/,
    );
    const named = await verify({ ...traefik('/docs/intro') }, untrusting, '?route=reports');
    expect(named.status).toBe(401);
  });

  it("when the client sends its own X-Gatehouse-* headers, then the answer states only the verified caller's", async () => {
    const reply = await verify({
      ...traefik('/reports/q'),
      ...(await bearer({ roles: ['analyst'] })),
      'x-gatehouse-email': 'boss@example.com',
      'x-gatehouse-roles': 'admin',
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-gatehouse-email']).toBe('ada@example.com');
    expect(reply.headers['x-gatehouse-roles']).toBe('analyst');
  });

  it('when /auth/verify is asked, then the auth-service never sees it', async () => {
    const before = auth.seen.length;
    await verify(traefik('/docs/intro'));
    await verify({}, untrusting);
    expect(auth.seen.slice(before).map((r) => r.url)).not.toContain('/auth/verify');
  });
});
