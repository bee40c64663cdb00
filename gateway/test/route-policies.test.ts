import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGateway, type TestGateway } from './support/gateway.js';
import { send } from './support/http.js';
import { ISSUER_PUBLIC_URL, testIssuer } from './support/issuer.js';
import { tempRoutesFile } from './support/routes-file.js';
import { startUpstream, type TestUpstream } from './support/upstream.js';

describe('token routes: policies and identity headers', () => {
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  let auth: TestUpstream;
  let app: TestUpstream;
  let gateway: TestGateway;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    issuer = await testIssuer();
    [auth, app] = await Promise.all([startUpstream(issuer.handler), startUpstream()]);
    const route = (name: string, extra: string) =>
      `  - { name: ${name}, path: /${name}, to: ${app.url}${extra} }\n`;
    file = tempRoutesFile(
      'routes:\n' +
        route('open', ', auth: public') +
        route('any', '') +
        route('roles', ', allow: { roles: [admin, analyst] }') +
        route('scopes', ', allow: { scopes: [reports:write] }') +
        route('emails', ', allow: { emails: [ada@example.com] }') +
        route('domains', ', allow: { domains: [example.org] }') +
        route('clients', ', allow: { clients: [billing] }') +
        route('both', ', allow: { roles: [analyst], scopes: [reports:read] }') +
        route('reads', ', methods: [GET]'),
    );
    gateway = await startGateway({
      AUTH_SERVICE_URL: auth.url,
      PUBLIC_URL: ISSUER_PUBLIC_URL,
      ROUTES_FILE: file.path,
      REVOCATION_CHECK: 'off',
    });
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([auth.close(), app.close()]);
    file.remove();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const seen = () => app.seen[app.seen.length - 1]!;

  it.each([
    ['any', {}, 200],
    ['roles', { roles: ['analyst'] }, 200],
    ['roles', { roles: ['user'] }, 403],
    ['scopes', { scope: 'reports:write' }, 200],
    ['scopes', {}, 403],
    ['emails', {}, 200],
    ['emails', { email: 'bob@example.com' }, 403],
    ['domains', { email: 'eve@example.org' }, 200],
    ['domains', {}, 403],
    ['clients', { client_id: 'billing' }, 200],
    ['clients', {}, 403],
    ['both', { roles: ['analyst'] }, 200],
    ['both', { roles: ['analyst'], scope: 'openid' }, 403],
  ])('when /%s is asked with claims %j, then %i', async (route, claims, status) => {
    const before = app.seen.length;
    const reply = await send(gateway.port, `/${route}/x`, {
      headers: bearer(await issuer.token(claims)),
    });
    expect(reply.status).toBe(status);
    if (status === 403) {
      expect(reply.json()).toMatchObject({ error: 'insufficient_scope' });
      expect(reply.headers['www-authenticate']).toMatch(
        /^Bearer realm="gatehouse", error="insufficient_scope", error_description="[^"]+"/,
      );
      expect(app.seen.length).toBe(before);
    }
  });

  it('when a token route is asked without a token, then 401 with the plain challenge', async () => {
    const reply = await send(gateway.port, '/any/x');
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
    expect(reply.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('when the token is bad, then 401 invalid_token with the challenge', async () => {
    const token = await issuer.token({}, { typ: 'JWT' });
    const reply = await send(gateway.port, '/any/x', { headers: bearer(token) });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe(
      'Bearer realm="gatehouse", error="invalid_token", error_description="the token is not an access token"',
    );
  });

  it('when a method is not listed, then 405 before any token is looked at', async () => {
    const reply = await send(gateway.port, '/reads/x', { method: 'POST' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD');
  });

  it('when a public route is asked with a token, then it forwards without identity headers', async () => {
    const reply = await send(gateway.port, '/open/x', {
      headers: { ...bearer('not-even-a-token'), 'x-gatehouse-sub': 'admin' },
    });
    expect(reply.status).toBe(200);
    expect(Object.keys(seen().headers).filter((h) => h.startsWith('x-gatehouse'))).toEqual([]);
    expect(seen().headers.authorization).toBe('Bearer not-even-a-token');
  });

  it('when the caller is verified, then identity headers are set and the token passes unchanged', async () => {
    const token = await issuer.token({ roles: ['analyst', 'user'] });
    await send(gateway.port, '/any/x', { headers: bearer(token) });
    expect(seen().headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'x-gatehouse-sub': 'user-1',
      'x-gatehouse-email': 'ada@example.com',
      'x-gatehouse-roles': 'analyst,user',
      'x-gatehouse-scope': 'openid reports:read analyst user',
      'x-gatehouse-client': 'gatehouse-web',
    });
  });

  it('when a client sends X-Gatehouse-* in any spelling, then none reaches the upstream', async () => {
    const token = await issuer.token({ client_id: undefined, scope: undefined });
    await send(gateway.port, '/any/x', {
      headers: {
        ...bearer(token),
        'X-Gatehouse-Client': 'billing',
        'X-GATEHOUSE-SCOPE': 'admin',
        X_Gatehouse_Roles: 'admin',
        'x-gatehouse_email': 'boss@example.com',
        'X-Gatehouse-Assertion': 'forged',
        'X-Gatehouse-Anything': '1',
      },
    });
    const names = Object.keys(seen().headers).filter((h) => /gatehouse/i.test(h));
    expect(names.sort()).toEqual([
      'x-gatehouse-assertion',
      'x-gatehouse-email',
      'x-gatehouse-roles',
      'x-gatehouse-sub',
    ]);
    expect(seen().headers['x-gatehouse-assertion']).not.toBe('forged');
    expect(seen().headers['x-gatehouse-email']).toBe('ada@example.com');
    expect(seen().headers['x-gatehouse-roles']).toBe('user');
  });

  it('when /auth is asked with X-Gatehouse-* headers, then the auth-service gets none', async () => {
    await send(gateway.port, '/auth/session', { headers: { 'x-gatehouse-sub': 'admin' } });
    expect(auth.seen[auth.seen.length - 1]!.headers['x-gatehouse-sub']).toBeUndefined();
  });

  it('when a decision is made, then it is logged at debug with route, sub, client, rule', async () => {
    await send(gateway.port, '/roles/x', { headers: bearer(await issuer.token()) });
    expect(gateway.logs).toContainEqual(
      expect.objectContaining({
        msg: 'policy decision',
        route: 'roles',
        sub: 'user-1',
        client: 'gatehouse-web',
        decision: 'deny',
        rule: 'roles',
      }),
    );
  });
});
