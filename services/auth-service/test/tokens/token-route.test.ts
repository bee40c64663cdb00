import { describe, expect, it } from '@jest/globals';
import { ConfigError, silentLogger } from '@gatehouse/shared';
import { decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { SIGNING_ALGS } from '../../src/keys/signing-alg.js';
import { startServer } from '../../src/server.js';
import { privateJwk, tempDataDir } from '../support/key-fixtures.js';
import { buildTokenApp, SAME_ORIGIN } from '../support/token-app.js';
import { verifyAccessToken } from '../support/verify-access-token.js';

async function jwksOf(
  server: ReturnType<Awaited<ReturnType<typeof buildTokenApp>>['app']['callback']>,
) {
  return (await request(server).get('/auth/.well-known/jwks.json').expect(200)).body;
}

describe('POST /auth/token', () => {
  it.each(SIGNING_ALGS)(
    'when a signed-in user asks with %s keys, then the token carries the contract header and claims',
    async (alg) => {
      const harness = await buildTokenApp({ env: { JWT_ALG: alg } });
      const server = harness.app.callback();
      const { user, sid, cookie } = await harness.signIn('ada@example.com', ['admin']);
      const response = await request(server)
        .post('/auth/token')
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .expect(200);

      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
      expect(response.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 600,
        scope: 'admin api',
      });
      const now = harness.clock.now();
      const { payload, protectedHeader } = await verifyAccessToken(
        response.body.access_token,
        await jwksOf(server),
        now,
        [alg],
      );
      expect(protectedHeader).toEqual({ alg, kid: harness.keys.activeKey().kid, typ: 'at+jwt' });
      const iat = Math.floor(now / 1000);
      expect(payload).toEqual({
        iss: 'http://localhost:8080/auth',
        sub: user.id,
        aud: 'gatehouse-api',
        iat,
        exp: iat + 600,
        jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        client_id: 'gatehouse-web',
        sid,
        email: 'ada@example.com',
        roles: ['admin'],
        scope: 'admin api',
      });
    },
  );

  it('when two tokens are issued, then each has its own jti', async () => {
    const harness = await buildTokenApp();
    const { cookie } = await harness.signIn();
    const issue = async () =>
      (
        await request(harness.app.callback())
          .post('/auth/token')
          .set(SAME_ORIGIN)
          .set('Cookie', cookie)
      ).body.access_token as string;
    const jwks = await jwksOf(harness.app.callback());
    const [a, b] = await Promise.all([issue(), issue()]);
    const now = harness.clock.now();
    expect((await verifyAccessToken(a, jwks, now)).payload.jti).not.toBe(
      (await verifyAccessToken(b, jwks, now)).payload.jti,
    );
  });

  it('when roles change in the directory, then the next token carries them', async () => {
    const harness = await buildTokenApp();
    const server = harness.app.callback();
    const { user, cookie } = await harness.signIn('ada@example.com');
    const issue = async () => {
      const res = await request(server).post('/auth/token').set(SAME_ORIGIN).set('Cookie', cookie);
      return (
        await verifyAccessToken(res.body.access_token, await jwksOf(server), harness.clock.now())
      ).payload;
    };
    expect(await issue()).toMatchObject({ roles: [], scope: 'api' });
    await harness.directory.setRoles(user.id, ['admin', 'auditor']);
    expect(await issue()).toMatchObject({
      roles: ['admin', 'auditor'],
      scope: 'admin api auditor',
    });
  });

  it('when the user has a name, then the token carries it', async () => {
    const harness = await buildTokenApp();
    const { user, cookie } = await harness.signIn('ada@example.com');
    await harness.directory.recordSignIn(
      user.id,
      {
        provider: 'google',
        issuer: 'https://idp',
        subject: 's1',
        email: user.email,
        name: 'Ada',
        picture: null,
      },
      harness.clock.now(),
    );
    const res = await request(harness.app.callback())
      .post('/auth/token')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie);
    const { payload } = await verifyAccessToken(
      res.body.access_token,
      await jwksOf(harness.app.callback()),
      harness.clock.now(),
    );
    expect(payload.name).toBe('Ada');
  });

  it('when the request is cross-site, then it is refused with 403 cross_site_request', async () => {
    const harness = await buildTokenApp();
    const server = harness.app.callback();
    const { cookie } = await harness.signIn();
    const foreign = await request(server)
      .post('/auth/token')
      .set('Origin', 'https://evil.example')
      .set('Cookie', cookie);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toBe('cross_site_request');
    expect(foreign.body).not.toHaveProperty('access_token');
    const fetchSite = await request(server)
      .post('/auth/token')
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Cookie', cookie);
    expect(fetchSite.status).toBe(403);
    await request(server)
      .post('/auth/token')
      .set('Sec-Fetch-Site', 'same-origin')
      .set('Cookie', cookie)
      .expect(200);
  });

  it('when there is no session, then it is 401 login_required', async () => {
    const res = await request((await buildTokenApp()).app.callback())
      .post('/auth/token')
      .set(SAME_ORIGIN);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('login_required');
  });

  it('when the user is disabled, then it is 401 and the session is over', async () => {
    const harness = await buildTokenApp();
    const server = harness.app.callback();
    const { user, cookie } = await harness.signIn();
    await harness.directory.setDisabled(user.id, true);
    const refused = await request(server)
      .post('/auth/token')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('login_required');
    await harness.directory.setDisabled(user.id, false);
    await request(server).post('/auth/token').set(SAME_ORIGIN).set('Cookie', cookie).expect(401);
  });

  it('when a client exceeds AUTH_RATE_LIMIT, then it gets 429 with Retry-After', async () => {
    const harness = await buildTokenApp({ env: { AUTH_RATE_LIMIT: '2' } });
    const server = harness.app.callback();
    const { cookie } = await harness.signIn();
    const post = () =>
      request(server)
        .post('/auth/token')
        .set(SAME_ORIGIN)
        .set('Cookie', cookie)
        .set('X-Forwarded-For', '203.0.113.7');
    await post().expect(200);
    await post().expect(200);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const login = await request(server).get('/auth/login').set('X-Forwarded-For', '203.0.113.7');
    expect(login.status).toBe(429);
    await request(server)
      .get('/auth/.well-known/jwks.json')
      .set('X-Forwarded-For', '203.0.113.7')
      .expect(200);
  });

  it('when the service restarts on the same DATA_DIR, then keys and sessions survive', async () => {
    const first = await buildTokenApp();
    const { cookie } = await first.signIn();
    const before = await request(first.app.callback())
      .post('/auth/token')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie);
    first.db.close();

    const second = await buildTokenApp({ dataDir: first.dataDir, clock: first.clock });
    const server = second.app.callback();
    const after = await request(server)
      .post('/auth/token')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .expect(200);
    expect(decodeProtectedHeader(after.body.access_token).kid).toBe(
      decodeProtectedHeader(before.body.access_token).kid,
    );
    await expect(
      verifyAccessToken(before.body.access_token, await jwksOf(server), second.clock.now()),
    ).resolves.toBeDefined();
  });

  it('when SIGNING_KEYS is set, then its first key signs and every key is published', async () => {
    const keys = [privateJwk('EdDSA'), privateJwk('ES256')];
    const harness = await buildTokenApp({
      env: { JWT_ALG: 'EdDSA', SIGNING_KEYS: JSON.stringify({ keys }) },
    });
    const server = harness.app.callback();
    const { cookie } = await harness.signIn();
    const res = await request(server)
      .post('/auth/token')
      .set(SAME_ORIGIN)
      .set('Cookie', cookie)
      .expect(200);
    const jwks = await jwksOf(server);
    expect(jwks.keys.map((k: { alg: string }) => k.alg)).toEqual(['EdDSA', 'ES256']);
    const { protectedHeader } = await verifyAccessToken(
      res.body.access_token,
      jwks,
      harness.clock.now(),
      ['EdDSA'],
    );
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);
  });

  it('when production starts without any signing key, then start-up fails with a ConfigError', async () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://app.example.com',
      GOOGLE_CLIENT_ID: 'client',
      GOOGLE_CLIENT_SECRET: 'secret',
      SESSION_KEYS: 'production-session-key-0123456789abcdef',
      DATA_DIR: tempDataDir(),
      PORT: '0',
    });
    const start = startServer(config, { logger: silentLogger() });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/no signing key can sign now .* SIGNING_KEYS is unset/);
  });
});
