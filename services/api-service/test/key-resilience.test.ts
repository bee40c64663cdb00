import { afterEach, describe, expect, it } from '@jest/globals';
import { serve, type RunningServer } from '@gatehouse/shared';
import {
  jwksOf,
  signTestToken,
  startJwksServer,
  testClock,
  testKey,
} from '../../../shared/test/tokens/support.js';
import { testApp } from './support/test-app.js';

const es = testKey('ES256');
const rs = testKey('RS256');

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((stop) => stop()));
});

async function setUp(env: Record<string, string> = {}, jwksKeys = jwksOf(es, rs)) {
  const jwks = await startJwksServer(jwksKeys);
  const clock = testClock();
  const { callback } = testApp({ jwksUrl: jwks.url, now: clock.now, env });
  const server: RunningServer = await serve(callback, { port: 0, host: '127.0.0.1' });
  cleanup.push(
    () => server.close(1000),
    () => jwks.stop(),
  );
  const me = async (token: string) => {
    const res = await fetch(`${server.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { jwks, clock, me };
}

describe('api-service key handling', () => {
  it('when 200 requests arrive at a cold api-service, then the JWKS is fetched exactly once', async () => {
    const { jwks, clock, me } = await setUp({ TOKEN_CACHE_SIZE: '0' });
    const tokens = Array.from({ length: 200 }, (_, i) =>
      signTestToken({ key: i % 2 ? es : rs, now: clock.now(), claims: { sub: `u${i}` } }),
    );
    const results = await Promise.all(tokens.map(me));
    expect(results.map((r) => r.status)).toEqual(tokens.map(() => 200));
    expect(jwks.requests).toBe(1);
  });

  it('when a flood of unknown kids arrives, then at most one JWKS fetch per cooldown', async () => {
    const { jwks, clock, me } = await setUp({ JWKS_REFETCH_COOLDOWN: '30' });
    await me(signTestToken({ key: es, now: clock.now() }));
    const flood = () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          me(signTestToken({ key: es, now: clock.now(), header: { kid: `k${i}-${clock.now()}` } })),
        ),
      );
    expect(new Set((await flood()).map((r) => r.status))).toEqual(new Set([401]));
    expect(jwks.requests).toBe(1);
    clock.advance(30);
    await flood();
    await flood();
    expect(jwks.requests).toBe(2);
  });

  it('when the auth-service is down for longer than the cache lifetime, then tokens still verify', async () => {
    const { jwks, clock, me } = await setUp({
      JWKS_CACHE_MAX_AGE: '300',
      JWKS_MAX_STALE: '3600',
      TOKEN_CACHE_SIZE: '0',
    });
    expect((await me(signTestToken({ key: es, now: clock.now() }))).status).toBe(200);
    await jwks.stop();
    clock.advance(900);
    expect((await me(signTestToken({ key: es, now: clock.now() }))).status).toBe(200);
    expect((await me(signTestToken({ key: rs, now: clock.now() }))).status).toBe(200);
    clock.advance(3600);
    const res = await me(signTestToken({ key: es, now: clock.now() }));
    expect(res).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });
  });

  it('when a key is removed from the JWKS, then its tokens stop verifying within the lifetime', async () => {
    const { jwks, clock, me } = await setUp({ JWKS_CACHE_MAX_AGE: '120' });
    const token = signTestToken({ key: es, now: clock.now(), exp: clock.now() / 1000 + 3600 });
    expect((await me(token)).status).toBe(200);
    jwks.publish(jwksOf(rs));
    clock.advance(120);
    const res = await me(token);
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect((await me(signTestToken({ key: rs, now: clock.now() }))).status).toBe(200);
  });
});
