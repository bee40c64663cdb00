import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AccessTokenClaims } from '../../src/index.js';
import { createVerifiedTokenCache } from '../../src/tokens/verified-token-cache.js';
import {
  jwksOf,
  signTestToken,
  startJwksServer,
  testClock,
  testKey,
  testVerifier,
} from './support.js';

const claims = (sub: string) => ({ sub }) as AccessTokenClaims;
const always = () => true;

describe('the verified-token cache', () => {
  it('when it is full, then the least recently used token goes first', () => {
    const cache = createVerifiedTokenCache(2);
    cache.set('a', 'k', claims('a'), 1000);
    cache.set('b', 'k', claims('b'), 1000);
    cache.get('a', 0, always);
    cache.set('c', 'k', claims('c'), 1000);
    expect(cache.get('b', 0, always)).toBeUndefined();
    expect(cache.get('a', 0, always)?.sub).toBe('a');
    expect(cache.get('c', 0, always)?.sub).toBe('c');
    expect(cache.size).toBe(2);
  });

  it('when an entry has expired or its key left the set, then it is dropped', () => {
    const cache = createVerifiedTokenCache(10);
    cache.set('a', 'k1', claims('a'), 1000);
    cache.set('b', 'k2', claims('b'), 5000);
    expect(cache.get('a', 1000, always)).toBeUndefined();
    expect(cache.get('b', 0, (kid) => kid !== 'k2')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when its size is 0, then nothing is kept', () => {
    const cache = createVerifiedTokenCache(0);
    cache.set('a', 'k', claims('a'), 1000);
    expect(cache.get('a', 0, always)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('a verifier with the cache', () => {
  const es = testKey('ES256');
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(es));
  });
  afterAll(() => jwks.stop());

  it('when a cached token expires, then it is refused like an uncached one', async () => {
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, clockTolerance: 30 });
    const token = signTestToken({ key: es, now: clock.now(), exp: clock.now() / 1000 + 60 });
    await verifier.verify(token);
    expect(verifier.stats().cachedTokens).toBe(1);
    clock.advance(89);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    clock.advance(1);
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'expired' });
  });

  it('when tokens differ by one byte, then the cached one does not vouch for the other', async () => {
    const verifier = testVerifier({ jwksUrl: jwks.url, now: testClock().now });
    const token = signTestToken({ key: es });
    await verifier.verify(token);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    await expect(verifier.verify(tampered)).rejects.toMatchObject({ reason: 'bad_signature' });
  });
});
