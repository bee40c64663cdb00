import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import {
  jwksOf,
  signTestToken,
  startJwksServer,
  testKey,
} from '../../../shared/test/tokens/support.js';
import { testApp } from './support/test-app.js';

const es = testKey('ES256');
const bearer = (claims: Record<string, unknown> = {}) =>
  `Bearer ${signTestToken({ key: es, claims })}`;

describe('api-service routes', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let app: ReturnType<typeof testApp>['callback'];
  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(es));
    app = testApp({ jwksUrl: jwks.url }).callback;
  });
  afterAll(() => jwks.stop());

  it('when a valid token calls /api/me, then the user comes back as JSON', async () => {
    const res = await request(app)
      .get('/api/me')
      .set('Authorization', bearer({ roles: ['admin'] }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      sub: 'user-1',
      email: 'ada@example.com',
      name: 'Ada',
      roles: ['admin'],
    });
  });

  it('when /api/me is called without a token, then 401 with the plain Bearer challenge', async () => {
    const res = await request(app).get('/api/me');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
    expect(res.body).toMatchObject({ error: 'unauthorized', request_id: expect.any(String) });
  });

  it('when a user without the admin role asks for /api/admin/stats, then 403 insufficient_scope', async () => {
    const res = await request(app).get('/api/admin/stats').set('Authorization', bearer());
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer realm="gatehouse", error="insufficient_scope"/,
    );
  });

  it('when an admin role comes without the admin scope (a narrow grant), then /api/admin/stats is 403 insufficient_scope', async () => {
    const res = await request(app)
      .get('/api/admin/stats')
      .set('Authorization', bearer({ roles: ['admin'], scope: 'api' }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
  });

  it('when an admin asks for /api/admin/stats, then the verifier figures come back', async () => {
    const res = await request(app)
      .get('/api/admin/stats')
      .set('Authorization', bearer({ roles: ['user', 'admin'], scope: 'admin api user' }));
    expect(res.status).toBe(200);
    expect(res.body.jwks).toMatchObject({ keys: 1, fetches: 1, failures: 0 });
  });

  it('when a service client token with api:read calls /api/caller, then 200 names the client; /api/me has no email for it', async () => {
    const service = {
      sub: 'billing',
      client_id: 'billing',
      sid: 'grant-1',
      scope: 'api:read api:write',
    };
    const token = signTestToken({ key: es, claims: service, omit: ['email', 'name', 'roles'] });
    const res = await request(app).get('/api/caller').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      sub: 'billing',
      client_id: 'billing',
      scopes: ['api:read', 'api:write'],
    });
    const me = await request(app).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ sub: 'billing', email: null, name: null, roles: [] });
  });

  it('when a token without api:read calls /api/caller, then 403 insufficient_scope naming the scope', async () => {
    const token = signTestToken({
      key: es,
      claims: { sub: 'reports', client_id: 'reports', scope: 'api:write' },
      omit: ['email', 'name', 'roles'],
    });
    const res = await request(app).get('/api/caller').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope".*scope="api:read"/);
    expect((await request(app).get('/api/caller').set('Authorization', bearer())).status).toBe(403);
  });

  it('when /api/ping is called without a token, then it answers', async () => {
    const res = await request(app).get('/api/ping');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ pong: true });
  });

  it('when a route does not exist, then 404 as JSON', async () => {
    const res = await request(app).get('/api/nope').set('Authorization', bearer());
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found', request_id: expect.any(String) });
  });

  it('when a known route gets the wrong method, then 405 as JSON', async () => {
    const res = await request(app).post('/api/me');
    expect(res.status).toBe(405);
    expect(res.body.error).toBe('method_not_allowed');
  });

  it('when /healthz and /metrics are asked, then they answer at the root', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    await request(app).get('/api/ping');
    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toMatch(/http_requests_total\{[^}]*route="\/api\/ping"/);
  });
});

describe('api-service readiness', () => {
  it('when the JWKS has never been obtained, then /readyz is 503, and 200 once it has', async () => {
    const jwks = await startJwksServer(jwksOf(es));
    await jwks.stop();
    const { callback } = testApp({ jwksUrl: jwks.url });
    const down = await request(callback).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.checks.jwks.ready).toBe(false);
    const res = await request(callback).get('/api/me').set('Authorization', bearer());
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');

    const revived = await startJwksServer(jwksOf(es));
    const { callback: healthy } = testApp({ jwksUrl: revived.url });
    expect((await request(healthy).get('/readyz')).status).toBe(200);
    await revived.stop();
  });
});
