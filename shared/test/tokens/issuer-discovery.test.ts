import { afterEach, describe, expect, it } from '@jest/globals';
import { createTokenVerifier, type TokenVerifier } from '../../src/index.js';
import { eventually, testRevocationFeed } from './revocation-feed.js';
import { AUDIENCE, ISSUER, jwksOf, reasonOf, signTestToken, T0, testKey } from './support.js';

const key = testKey('ES256');
const now = () => T0 + 60_000;
const METADATA_URL = `${ISSUER}/.well-known/openid-configuration`;
const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;

/** The issuer's metadata, key set and revocation feed behind one fetch double. */
function testIssuer(metadata: Record<string, unknown> = {}) {
  const feed = testRevocationFeed(`${ISSUER}/.well-known/revocations`);
  const seen: string[] = [];
  let metadataDown = false;
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    seen.push(url);
    if (url === METADATA_URL) {
      if (metadataDown) throw new TypeError('fetch failed: connection refused');
      return Response.json({
        issuer: ISSUER,
        jwks_uri: JWKS_URL,
        revocation_feed_uri: feed.url,
        ...metadata,
      });
    }
    if (url === JWKS_URL) return Response.json(jwksOf(key));
    return feed.fetch(input, init);
  };
  return {
    feed,
    fetch: fetchFn,
    seen,
    setMetadataDown(value: boolean) {
      metadataDown = value;
    },
  };
}

describe('createTokenVerifier given only the issuer', () => {
  const verifiers: TokenVerifier[] = [];
  afterEach(() => verifiers.splice(0).forEach((v) => v.close()));
  function verifierFor(issuer: ReturnType<typeof testIssuer>, warnings: string[] = []) {
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      fetch: issuer.fetch,
      now,
      revocationPollInterval: 10,
      logger: { warn: (_data, message) => void warnings.push(message) },
    });
    verifiers.push(verifier);
    return verifier;
  }

  it('when the metadata names the key set and the feed, then tokens verify and a revocation is refused without configuring either', async () => {
    const issuer = testIssuer();
    const verifier = verifierFor(issuer);
    const token = signTestToken({ key, now: T0 });
    expect(await reasonOf(verifier.verify(token))).toBe('accepted');
    expect(issuer.seen).toEqual(expect.arrayContaining([METADATA_URL, JWKS_URL]));
    issuer.feed.revoke({ sub: 'user-1' }, T0 + 30_000);
    await eventually(async () => (await reasonOf(verifier.verify(token))) === 'revoked');
    expect(verifier.revocations()).toMatchObject({ current: true, entries: 1 });
  });

  it('when the metadata names no revocation feed, then every token gets 503 and the log says what to set', async () => {
    const warnings: string[] = [];
    const verifier = verifierFor(testIssuer({ revocation_feed_uri: undefined }), warnings);
    const err = await verifier.verify(signTestToken({ key, now: T0 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'keys_unavailable', status: 503 });
    await expect(verifier.ready()).rejects.toMatchObject({ reason: 'keys_unavailable' });
    expect(warnings.filter((w) => /revocation_feed_uri/.test(w))).toHaveLength(1);
  });

  it('when revocationsUrl is false, then a metadata without a feed is enough and nothing is followed', async () => {
    const issuer = testIssuer({ revocation_feed_uri: undefined });
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      revocationsUrl: false,
      fetch: issuer.fetch,
      now,
    });
    verifiers.push(verifier);
    expect(await reasonOf(verifier.verify(signTestToken({ key, now: T0 })))).toBe('accepted');
    expect(verifier.revocations()).toBeUndefined();
    expect(issuer.feed.seen.requests).toBe(0);
  });

  it('when the metadata names another issuer, then tokens get 503 rather than keys from elsewhere', async () => {
    const issuer = testIssuer({ issuer: 'https://evil.example/auth' });
    const verifier = verifierFor(issuer);
    expect(await reasonOf(verifier.verify(signTestToken({ key, now: T0 })))).toBe(
      'keys_unavailable',
    );
    expect(issuer.seen).not.toContain(JWKS_URL);
  });

  it('when the metadata is unreachable at first, then tokens get 503 and verify once it answers', async () => {
    const issuer = testIssuer();
    issuer.setMetadataDown(true);
    let clock = T0 + 60_000;
    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      fetch: issuer.fetch,
      now: () => clock,
    });
    verifiers.push(verifier);
    const token = signTestToken({ key, now: T0 });
    expect(await reasonOf(verifier.verify(token))).toBe('keys_unavailable');
    issuer.setMetadataDown(false);
    clock += 1_000; // past the retry interval
    expect(await reasonOf(verifier.verify(token))).toBe('accepted');
  });

  it('when the issuer is a list or not a URL and a URL is left to discovery, then construction names the options', () => {
    expect(() =>
      createTokenVerifier({ issuer: [ISSUER, 'http://other.test/auth'], audience: AUDIENCE }),
    ).toThrow(/"issuer" must be one http\(s\) URL[\s\S]*revocationsUrl: false/);
    expect(() =>
      createTokenVerifier({
        issuer: 'gatehouse',
        audience: AUDIENCE,
        jwksUrl: JWKS_URL,
        revocationsUrl: false,
      }),
    ).not.toThrow();
  });
});
