import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { TokenVerifier } from '../../src/index.js';
import { eventually, testRevocationFeed } from './revocation-feed.js';
import {
  jwksOf,
  reasonOf,
  signTestToken,
  startJwksServer,
  T0,
  testClock,
  testKey,
  testVerifier,
} from './support.js';

const key = testKey('ES256');
const now = () => T0 + 60_000;

describe('createTokenVerifier following the revocation feed', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  const verifiers: TokenVerifier[] = [];
  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(key));
  });
  afterAll(() => jwks.stop());
  afterEach(() => verifiers.splice(0).forEach((v) => v.close()));

  function following(feed: ReturnType<typeof testRevocationFeed>, warnings: object[] = []) {
    const verifier = testVerifier({
      jwksUrl: jwks.url,
      revocationsUrl: feed.url,
      revocationPollInterval: 10,
      fetch: feed.fetch,
      now,
      logger: { warn: (data, message) => void warnings.push({ ...data, message }) },
    });
    verifiers.push(verifier);
    return verifier;
  }
  const polls = async (feed: ReturnType<typeof testRevocationFeed>, more = 2) => {
    const target = feed.seen.requests + more;
    await eventually(() => feed.seen.requests >= target);
  };

  it('when a sub is revoked after a token was issued, then that token is refused as revoked, even from the cache, and a later one is not', async () => {
    const feed = testRevocationFeed();
    const verifier = following(feed);
    const before = signTestToken({ key, now: T0 });
    expect(await reasonOf(verifier.verify(before))).toBe('accepted'); // now cached
    feed.revoke({ sub: 'user-1' }, T0 + 30_000);
    await eventually(async () => (await reasonOf(verifier.verify(before))) === 'revoked');
    const after = signTestToken({ key, now: T0 + 31_000 });
    expect(await reasonOf(verifier.verify(after))).toBe('accepted');
    const err = await verifier.verify(before).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_token', status: 401, reason: 'revoked' });
  });

  it('when a sid or a jti is revoked, then only the tokens naming it are refused', async () => {
    const feed = testRevocationFeed();
    const verifier = following(feed);
    const inSession = signTestToken({ key, now: T0, claims: { sid: 'laptop' } });
    const otherSession = signTestToken({ key, now: T0, claims: { sid: 'phone' } });
    const single = signTestToken({ key, now: T0, claims: { sid: 'phone', jti: 'j-1' } });
    feed.revoke({ sid: 'laptop' }, T0 + 1000);
    feed.revoke({ jti: 'j-1' }, T0 + 1000);
    await eventually(async () => (await reasonOf(verifier.verify(inSession))) === 'revoked');
    expect(await reasonOf(verifier.verify(single))).toBe('revoked');
    expect(await reasonOf(verifier.verify(otherSession))).toBe('accepted');
  });

  it('when nothing changed, then a poll is answered 304 from the ETag', async () => {
    const feed = testRevocationFeed();
    following(feed);
    await polls(feed, 3);
    expect(feed.seen.notModified).toBeGreaterThan(0);
  });

  it('when the feed is down, then requests keep flowing on the last list, the outage is logged once and reported, and revocations made meanwhile apply once it is back', async () => {
    const feed = testRevocationFeed();
    const warnings: { message?: string }[] = [];
    const verifier = following(feed, warnings);
    const revokedEarlier = signTestToken({ key, now: T0, claims: { sid: 'a' } });
    const revokedMeanwhile = signTestToken({ key, now: T0, claims: { sid: 'b' } });
    feed.revoke({ sid: 'a' }, T0 + 1000);
    await eventually(async () => (await reasonOf(verifier.verify(revokedEarlier))) === 'revoked');
    feed.setDown(true);
    await polls(feed, 5);
    feed.revoke({ sid: 'b' }, T0 + 2000);
    expect(await reasonOf(verifier.verify(revokedEarlier))).toBe('revoked');
    expect(await reasonOf(verifier.verify(revokedMeanwhile))).toBe('accepted');
    expect(verifier.revocations()).toMatchObject({ current: false, entries: 1 });
    expect(verifier.revocations()!.error).toMatch(/connection refused/);
    expect(warnings.filter((w) => /unreachable/.test(w.message ?? ''))).toHaveLength(1);
    feed.setDown(false);
    await eventually(async () => (await reasonOf(verifier.verify(revokedMeanwhile))) === 'revoked');
    expect(verifier.revocations()).toMatchObject({ current: true, entries: 2 });
    expect(warnings.filter((w) => /reachable again/.test(w.message ?? ''))).toHaveLength(1);
  });

  it('when the feed does not answer before its first answer (the services starting together), then the outage and its end log at debug, never warn', async () => {
    const feed = testRevocationFeed();
    feed.setDown(true);
    const lines: string[] = [];
    const verifier = testVerifier({
      jwksUrl: jwks.url,
      revocationsUrl: feed.url,
      revocationPollInterval: 10,
      fetch: feed.fetch,
      now,
      logger: {
        warn: (_data, message) => void lines.push(`warn ${message}`),
        debug: (_data, message) => void lines.push(`debug ${message}`),
      },
    });
    verifiers.push(verifier);
    await polls(feed, 3);
    feed.setDown(false);
    await eventually(() => verifier.revocations()?.current === true);
    expect(lines).toEqual([
      'debug revocation feed unreachable: judging tokens by the last revocations received (still starting; retrying)',
      'debug revocation feed reachable again',
    ]);
  });

  it.each([
    ['jti', { jti: 'j-1' }],
    ['sid', { sid: 'laptop' }],
    ['sub', { sub: 'user-1' }],
  ])(
    'when a %s entry expires with the token it names, then the token is still refused while the clock tolerance accepts it',
    async (_kind, name) => {
      const clock = testClock(T0);
      const feed = testRevocationFeed();
      const verifier = testVerifier({
        jwksUrl: jwks.url,
        revocationsUrl: feed.url,
        revocationPollInterval: 10,
        clockTolerance: 30,
        fetch: feed.fetch,
        now: clock.now,
      });
      verifiers.push(verifier);
      const token = signTestToken({ key, now: T0, claims: { sid: 'laptop', jti: 'j-1' } });
      // The entry is forgotten at the token's own exp (T0 + 600 s), as issue 20 found it.
      feed.revoke(name, T0 + 1000, T0 + 600_000);
      await eventually(async () => (await reasonOf(verifier.verify(token))) === 'revoked');
      clock.advance(605);
      await polls(feed);
      expect(await reasonOf(verifier.verify(token))).toBe('revoked');
      clock.advance(26);
      await polls(feed);
      expect(await reasonOf(verifier.verify(token))).toBe('expired');
      expect(verifier.revocations()).toMatchObject({ entries: 0 });
    },
  );

  it('when no feed is configured, then nothing is polled and no status is reported', async () => {
    const feed = testRevocationFeed();
    const verifier = testVerifier({ jwksUrl: jwks.url, fetch: feed.fetch, now });
    verifiers.push(verifier);
    expect(await reasonOf(verifier.verify(signTestToken({ key, now: T0 })))).toBe('accepted');
    expect(feed.seen.requests).toBe(0);
    expect(verifier.revocations()).toBeUndefined();
  });

  it('when revocationsUrl is not an http(s) URL, then the option is named', () => {
    expect(() => testVerifier({ jwksUrl: jwks.url, revocationsUrl: 'feed' })).toThrow(
      /"revocationsUrl" must be an absolute http\(s\) URL/,
    );
  });
});
