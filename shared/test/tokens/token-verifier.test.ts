import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTokenVerifier, TokenError } from '../../src/index.js';
import { hostileTokens } from './hostile-tokens.js';
import { signatureTwin } from './signature-twin.js';
import {
  AUDIENCE,
  ISSUER,
  jwksOf,
  reasonOf,
  signTestToken,
  startCountingListener,
  startJwksServer,
  testClock,
  testKey,
  testVerifier,
  T0,
} from './support.js';

const es = testKey('ES256');
const rs = testKey('RS256');
const ed = testKey('EdDSA');

describe('createTokenVerifier', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let listener: Awaited<ReturnType<typeof startCountingListener>>;
  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(es, rs, ed));
    listener = await startCountingListener();
  });
  afterAll(async () => {
    await jwks.stop();
    await listener.stop();
  });

  it.each(['ES256', 'RS256', 'EdDSA'] as const)(
    'when a valid %s access token arrives, then its claims come back typed',
    async (alg) => {
      const key = { ES256: es, RS256: rs, EdDSA: ed }[alg];
      const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0 });
      const claims = await verifier.verify(signTestToken({ key, claims: { roles: ['admin'] } }));
      expect(claims).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', roles: ['admin'] });
      expect(Object.isFrozen(claims)).toBe(true);
    },
  );

  it('when a token is within the clock tolerance, then it still verifies', async () => {
    const clock = testClock();
    const verifier = testVerifier({ jwksUrl: jwks.url, now: clock.now, tokenCacheSize: 0 });
    const seconds = T0 / 1000;
    const token = signTestToken({
      key: es,
      exp: seconds + 10,
      claims: { iat: seconds + 25, nbf: seconds + 25 },
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    clock.advance(39);
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    clock.advance(2);
    expect(await reasonOf(verifier.verify(token))).toBe('expired');
  });

  describe('the hostile-token corpus', () => {
    const corpus = hostileTokens({ es, rs, ed }, 'http://127.0.0.1:9');
    it.each(corpus.map((c) => [c.name, c.reason] as const))(
      'when %s, then it is refused as %s',
      async (name, reason) => {
        const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0 });
        const { token } = corpus.find((c) => c.name === name)!;
        expect(await reasonOf(verifier.verify(token))).toBe(reason);
      },
    );

    it('when jku and x5u point at a listener, then the listener sees no request at all', async () => {
      const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0, jwksRefetchCooldown: 0 });
      const tokens = hostileTokens({ es, rs, ed }, listener.url);
      for (const { token } of tokens) await reasonOf(verifier.verify(token));
      expect(listener.requests).toBe(0);
    });

    it('when a refused token is checked, then every error is a 401 invalid_token with a quote-free description', async () => {
      const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0 });
      for (const { token } of corpus) {
        const err = await verifier.verify(token).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TokenError);
        expect(err).toMatchObject({ status: 401, code: 'invalid_token' });
        expect((err as TokenError).description).not.toMatch(/["\\\r\n]/);
      }
    });
  });

  it.each([
    ['ES256', es],
    ['RS256', rs],
    ['EdDSA', ed],
  ] as const)(
    'when a %s signature is respelled with the same bytes, then it is refused as malformed',
    async (_alg, key) => {
      const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0, tokenCacheSize: 0 });
      const token = signTestToken({ key });
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      // The last character's low 4 bits carry no data (64- and 256-byte signatures alike).
      const last = alphabet.indexOf(token.at(-1)!);
      const respelled = token.slice(0, -1) + alphabet[last | 1];
      expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(
        Buffer.from(token.split('.')[2]!, 'base64url'),
      );

      expect(await reasonOf(verifier.verify(token))).toBe('accepted');
      expect(await reasonOf(verifier.verify(respelled))).toBe('malformed');
    },
  );

  it('when an ES256 signature is swapped for its twin (r, n - s), then the token is refused as malformed and the issued string still verifies', async () => {
    const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0 });
    for (let i = 0; i < 8; i++) {
      const issued = signTestToken({ key: es });
      const twin = signatureTwin(issued, es.publicJwk)!;
      expect(twin).not.toBe(issued);
      expect(await reasonOf(verifier.verify(twin))).toBe('malformed');
      expect(await reasonOf(verifier.verify(issued))).toBe('accepted');
      expect(await reasonOf(verifier.verify(twin))).toBe('malformed'); // not from the cache
    }
  });

  it.each([
    ['EdDSA (S + L)', ed],
    ['RS256 (s + n)', rs],
  ])(
    'when an %s signature is swapped for its twin, then the signature check refuses it',
    async (_name, key) => {
      const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0 });
      let twin: string | undefined;
      for (let i = 0; twin === undefined && i < 200; i++) {
        twin = signatureTwin(signTestToken({ key }), key.publicJwk);
      }
      expect(await reasonOf(verifier.verify(twin!))).toBe('bad_signature');
    },
  );

  it('when the token is longer than the bound, then it is refused before any key is fetched', async () => {
    const verifier = testVerifier({ jwksUrl: jwks.url, now: () => T0, maxTokenLength: 100 });
    const before = jwks.requests;
    expect(await reasonOf(verifier.verify(signTestToken({ key: es })))).toBe('too_long');
    expect(jwks.requests).toBe(before);
  });

  it('when options ask for none, HS256 or nothing, then construction fails naming the options', () => {
    expect(() =>
      createTokenVerifier({
        jwksUrl: 'ftp://x',
        issuer: '',
        audience: AUDIENCE,
        algorithms: ['none', 'HS256'],
      }),
    ).toThrow(
      /"jwksUrl" must be an absolute http\(s\) URL[\s\S]*"issuer" is required[\s\S]*refused: none, HS256/,
    );
  });

  it('when the clock tolerance exceeds what issuers keep revocations for, then construction fails naming it', () => {
    expect(() => testVerifier({ jwksUrl: jwks.url, clockTolerance: 61 })).toThrow(
      /"clockTolerance" must be a number from 0 to 60 \(got 61\)/,
    );
    expect(() => testVerifier({ jwksUrl: jwks.url, clockTolerance: 60 })).not.toThrow();
  });
});
