import { afterEach, describe, expect, it } from '@jest/globals';
import {
  countingFetch,
  jwksOf,
  reasonOf,
  signTestToken,
  startJwksServer,
  testClock,
  testKey,
  testVerifier,
} from './support.js';

const es = testKey('ES256');
const rs = testKey('RS256');

const servers: { stop(): Promise<void> }[] = [];
async function jwksServer(document: object, cacheControl?: string) {
  const server = await startJwksServer(document, cacheControl);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('the JWKS cache', () => {
  it('when 200 requests arrive before any key set is known, then the JWKS is fetched exactly once', async () => {
    const jwks = await jwksServer(jwksOf(es, rs));
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, tokenCacheSize: 0 });
    const tokens = Array.from({ length: 200 }, (_, i) =>
      signTestToken({ key: i % 2 ? es : rs, now: clock.now(), claims: { sub: `u${i}` } }),
    );
    const results = await Promise.all(tokens.map((t) => verifier.verify(t)));
    expect(results.map((c) => c.sub)).toEqual(tokens.map((_, i) => `u${i}`));
    expect(jwks.requests).toBe(1);
  });

  it('when a flood of unknown kids arrives, then the JWKS is refetched at most once per cooldown', async () => {
    const jwks = await jwksServer(jwksOf(es));
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, jwksRefetchCooldown: 30 });
    await verifier.verify(signTestToken({ key: es, now: clock.now() }));
    const flood = () =>
      Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          reasonOf(
            verifier.verify(
              signTestToken({ key: es, now: clock.now(), header: { kid: `rogue-${i}` } }),
            ),
          ),
        ),
      );
    expect(new Set(await flood())).toEqual(new Set(['unknown_kid']));
    expect(jwks.requests).toBe(1);
    clock.advance(30);
    await flood();
    expect(jwks.requests).toBe(2);
    clock.advance(29);
    await flood();
    expect(jwks.requests).toBe(2);
  });

  it('when a key appears in the JWKS after the cooldown, then tokens signed with it verify', async () => {
    const jwks = await jwksServer(jwksOf(es));
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, jwksRefetchCooldown: 10 });
    await verifier.verify(signTestToken({ key: es, now: clock.now() }));
    jwks.publish(jwksOf(es, rs));
    clock.advance(10);
    await expect(
      verifier.verify(signTestToken({ key: rs, now: clock.now() })),
    ).resolves.toBeDefined();
    expect(jwks.requests).toBe(2);
  });

  it('when the auth-service is down longer than the cache lifetime, then known keys keep verifying up to the stale bound', async () => {
    const jwks = await jwksServer(jwksOf(es));
    const clock = testClock();
    const verifier = testVerifier({
      jwksUrl: jwks.url,
      now: clock.now,
      jwksCacheMaxAge: 300,
      jwksMaxStale: 3600,
      tokenCacheSize: 0,
    });
    await verifier.verify(signTestToken({ key: es, now: clock.now() }));
    await jwks.stop();
    clock.advance(300 + 1800);
    await expect(
      verifier.verify(signTestToken({ key: es, now: clock.now() })),
    ).resolves.toBeDefined();
    await expect(verifier.ready()).resolves.toBeUndefined();
    clock.advance(60);
    await expect(
      verifier.verify(signTestToken({ key: es, now: clock.now() })),
    ).resolves.toBeDefined();
    clock.advance(1800);
    const err = await verifier
      .verify(signTestToken({ key: es, now: clock.now() }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      reason: 'keys_unavailable',
      code: 'temporarily_unavailable',
      status: 503,
    });
    // Readiness tells the truth too: an instance that answers 503 is not ready.
    await expect(verifier.ready()).rejects.toThrow(/older than JWKS_MAX_STALE/);
  });

  it('when a key is removed from the JWKS, then its tokens stop verifying once the lifetime has passed', async () => {
    const jwks = await jwksServer(jwksOf(es, rs), 'max-age=60');
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now });
    const token = signTestToken({ key: es, now: clock.now(), exp: clock.now() / 1000 + 3600 });
    await verifier.verify(token);
    jwks.publish(jwksOf(rs));
    clock.advance(59);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    clock.advance(1);
    expect(await reasonOf(verifier.verify(token))).toBe('unknown_kid');
    expect(verifier.stats().cachedTokens).toBe(0);
  });

  it('when no key set was ever obtained, then the answer is 503 keys_unavailable and /readyz is not ready', async () => {
    const jwks = await jwksServer(jwksOf(es));
    const fetcher = countingFetch();
    fetcher.fail(true);
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, fetch: fetcher.fetch });
    const err = await verifier
      .verify(signTestToken({ key: es, now: clock.now() }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'keys_unavailable', status: 503 });
    await expect(verifier.ready()).rejects.toThrow(/not been obtained/);
    fetcher.fail(false);
    clock.advance(1);
    await expect(verifier.ready()).resolves.toBeUndefined();
    await expect(
      verifier.verify(signTestToken({ key: es, now: clock.now() })),
    ).resolves.toBeDefined();
  });

  it.each([
    ['max-age=60', 60],
    ['no-store', 30],
    ['public, max-age=86400', 300],
    [undefined, 300],
  ])(
    'when the JWKS says Cache-Control %s, then it is refetched after %i s',
    async (header, lifetime) => {
      const jwks = await jwksServer(jwksOf(es), header);
      const clock = testClock();
      const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, jwksCacheMaxAge: 300 });
      const token = signTestToken({ key: es, now: clock.now(), exp: clock.now() / 1000 + 3600 });
      await verifier.verify(token);
      clock.advance(lifetime - 1);
      await verifier.verify(token);
      expect(jwks.requests).toBe(1);
      clock.advance(1);
      await verifier.verify(token);
      expect(jwks.requests).toBe(2);
    },
  );

  it('when the JWKS document is broken, then the previous keys stay in use', async () => {
    const jwks = await jwksServer(jwksOf(es), 'max-age=30');
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, tokenCacheSize: 0 });
    await verifier.verify(signTestToken({ key: es, now: clock.now() }));
    jwks.publish({ nope: true });
    clock.advance(31);
    await expect(
      verifier.verify(signTestToken({ key: es, now: clock.now() })),
    ).resolves.toBeDefined();
    expect(verifier.stats()).toMatchObject({ jwksFetches: 2, jwksFailures: 1, keys: 1 });
  });
});
