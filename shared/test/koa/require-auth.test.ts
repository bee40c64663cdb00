import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import request from 'supertest';
import { silentLogger, type TokenVerifier } from '../../src/index.js';
import {
  errorHandler,
  requestContext,
  requireAuth,
  requireRole,
  requireScope,
  type AuthState,
} from '../../src/koa/index.js';
import { hostileTokens } from '../tokens/hostile-tokens.js';
import {
  jwksOf,
  signTestToken,
  startJwksServer,
  testKey,
  testVerifier,
  T0,
} from '../tokens/support.js';

const es = testKey('ES256');
const rs = testKey('RS256');
const ed = testKey('EdDSA');

function buildApp(verifier: Pick<TokenVerifier, 'verify'>) {
  const app = new Koa<AuthState>();
  app.use(requestContext({ logger: silentLogger() }));
  app.use(errorHandler());
  app.use(requireAuth(verifier));
  app.use(async (ctx, next) => {
    if (ctx.path === '/admin') return requireRole('admin')(ctx, next);
    if (ctx.path === '/write') return requireScope('reports:write')(ctx, next);
    return next();
  });
  app.use((ctx) => {
    ctx.body = { sub: ctx.state.auth.sub };
  });
  return app.callback();
}

const INVALID_TOKEN =
  /^Bearer realm="gatehouse", error="invalid_token", error_description="[^"]+"$/;

describe('requireAuth, requireRole, requireScope', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(es, rs, ed));
    app = buildApp(testVerifier({ jwksUrl: jwks.url, now: () => T0 }));
  });
  afterAll(() => jwks.stop());

  it('when a valid token is sent, then the claims are on ctx.state.auth', async () => {
    const res = await request(app)
      .get('/')
      .set('Authorization', `Bearer ${signTestToken({ key: es })}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sub: 'user-1' });
  });

  it.each([
    ['no Authorization header', undefined],
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
    ['a Bearerfoo scheme', 'Bearerfoo abc'],
  ])('when %s is sent, then 401 with the plain Bearer challenge', async (_name, header) => {
    const req = request(app).get('/');
    const res = header === undefined ? await req : await req.set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="gatehouse"');
    expect(res.body).toMatchObject({ error: 'unauthorized', request_id: expect.any(String) });
  });

  it.each([
    ['an empty Bearer credential', 'Bearer '],
    ['characters outside b64token', 'Bearer abc$def'],
    ['two credentials', 'Bearer abc def'],
  ])('when %s is sent, then 401 invalid_token', async (_name, header) => {
    const res = await request(app).get('/').set('Authorization', header);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(INVALID_TOKEN);
    expect(res.body.error).toBe('invalid_token');
  });

  it('when each hostile token is sent, then each is 401 invalid_token with the challenge', async () => {
    for (const { name, token } of hostileTokens({ es, rs, ed }, 'http://127.0.0.1:9')) {
      const res = await request(app).get('/').set('Authorization', `Bearer ${token}`);
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
      expect(res.headers['www-authenticate']).toMatch(INVALID_TOKEN);
      expect(res.body.error).toBe('invalid_token');
    }
  });

  it('when the role is missing, then 403 insufficient_scope with the challenge', async () => {
    const res = await request(app)
      .get('/admin')
      .set('Authorization', `Bearer ${signTestToken({ key: es })}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="gatehouse", error="insufficient_scope", error_description="the admin role is required"',
    );
    const admin = signTestToken({
      key: es,
      claims: { roles: ['user', 'admin'], scope: 'admin api user' },
    });
    expect((await request(app).get('/admin').set('Authorization', `Bearer ${admin}`)).status).toBe(
      200,
    );
  });

  it('when the role comes without its same-named scope (a narrow grant), then 403 insufficient_scope', async () => {
    const narrow = signTestToken({ key: es, claims: { roles: ['admin'], scope: 'api' } });
    const res = await request(app).get('/admin').set('Authorization', `Bearer ${narrow}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
  });

  it('when the scope is missing, then 403 insufficient_scope naming the scope', async () => {
    const res = await request(app)
      .get('/write')
      .set('Authorization', `Bearer ${signTestToken({ key: es })}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('insufficient_scope');
    expect(res.headers['www-authenticate']).toMatch(
      /error="insufficient_scope".*scope="reports:write"$/,
    );
    const writer = signTestToken({ key: es, claims: { scope: 'openid reports:write' } });
    expect((await request(app).get('/write').set('Authorization', `Bearer ${writer}`)).status).toBe(
      200,
    );
  });

  it('when no key set could ever be fetched, then 503 temporarily_unavailable, not 401', async () => {
    const unreachable = buildApp(
      testVerifier({ jwksUrl: 'http://127.0.0.1:9/jwks.json', now: () => T0 }),
    );
    const res = await request(unreachable)
      .get('/')
      .set('Authorization', `Bearer ${signTestToken({ key: es })}`);
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('temporarily_unavailable');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('when the verifier itself throws something unexpected, then still 401, never 5xx', async () => {
    const broken = buildApp({ verify: () => Promise.reject(new RangeError('boom')) });
    const res = await request(broken).get('/').set('Authorization', 'Bearer abc');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(INVALID_TOKEN);
  });
});
