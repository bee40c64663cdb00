import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { signCompactJwt } from '../../src/tokens/sign-compact-jwt.js';
import { createOwnTokenVerifier } from '../../src/tokens/verify-own-access-token.js';
import { serviceClient } from '../support/service-client.js';
import { buildTokenApp } from '../support/token-app.js';
import { withLowS } from '@gatehouse/shared';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A client_credentials token of a real app, the app's own verifier, and a re-signer. */
async function setUp(alg = 'ES256') {
  const harness = await buildTokenApp({ env: { JWT_ALG: alg } });
  const service = await serviceClient(harness);
  const token = (await service.token().expect(200)).body.access_token as string;
  const verify = createOwnTokenVerifier({
    tokens: harness.config.tokens,
    keyStore: harness.keys,
    now: harness.clock.now,
  });
  const key = harness.keys.activeKey();
  const header = { alg: key.alg, kid: key.kid, typ: 'at+jwt' };
  /** The same claims with `changes`, signed by the real key under `headerChanges`. */
  // Low-S, as the issuer hands tokens out: a high-S twin is refused for that alone.
  const resign = (changes: object, headerChanges: object = {}) =>
    withLowS(
      signCompactJwt(key, encode({ ...header, ...headerChanges }), {
        ...decodeJwt(token),
        ...changes,
      }),
    );
  return { harness, token, verify, resign, header };
}

describe('the auth-service verifying its own access tokens (introspection, revocation)', () => {
  it.each(['ES256', 'EdDSA', 'RS256'])(
    'when a %s token is altered in any way, then it is refused unless identical',
    async (alg) => {
      const { token, verify } = await setUp(alg);
      await expect(verify(token)).resolves.toMatchObject({ sub: 'billing' });
      const mutated = fc.oneof(
        fc
          .tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...ALPHABET))
          .map(([i, ch]) => token.slice(0, i) + ch + token.slice(i + 1)),
        fc.nat({ max: token.length - 1 }).map((i) => token.slice(0, i) + token.slice(i + 1)),
        fc.constantFrom(...ALPHABET.slice(0, 64)).map((ch) => token.slice(0, -1) + ch),
      );
      await fc.assert(
        fc.asyncProperty(mutated, async (candidate) => {
          expect(await verify(candidate)).toEqual(
            candidate === token ? expect.any(Object) : undefined,
          );
        }),
        { numRuns: 300 },
      );
    },
  );

  it('when the token has expired, then it is refused from its exp on', async () => {
    const { harness, token, verify } = await setUp();
    const { exp } = decodeJwt(token);
    harness.clock.set(exp! * 1000 - 1);
    await expect(verify(token)).resolves.toBeDefined();
    harness.clock.set(exp! * 1000);
    await expect(verify(token)).resolves.toBeUndefined();
  });

  it('when our key signs a token with another typ, alg, kid, iss or aud, or without sub, jti or iat, then it is refused', async () => {
    const { verify, resign } = await setUp();
    await expect(verify(resign({}))).resolves.toBeDefined();
    for (const headerChange of [
      { typ: 'JWT' },
      { alg: 'RS256' },
      { kid: 'other' },
      { typ: undefined },
    ]) {
      await expect(verify(resign({}, headerChange))).resolves.toBeUndefined();
    }
    for (const change of [
      { iss: 'https://evil.example/auth' },
      { aud: 'another-api' },
      { sub: undefined },
      { jti: undefined },
      { iat: undefined },
      { exp: '9999999999' },
      { nbf: 4_000_000_000 },
    ]) {
      await expect(verify(resign(change))).resolves.toBeUndefined();
    }
  });

  it('when another key signs under our kid, or alg is none, then it is refused', async () => {
    const { token, verify, header } = await setUp();
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = signCompactJwt(
      { alg: 'ES256', privateKey: stranger },
      encode(header),
      decodeJwt(token),
    );
    await expect(verify(forged)).resolves.toBeUndefined();
    const [, payload] = token.split('.');
    await expect(
      verify(`${encode({ ...header, alg: 'none' })}.${payload}.`),
    ).resolves.toBeUndefined();
  });

  it('when a verified token is presented again after its key left the published set, then it is refused', async () => {
    const { harness, token } = await setUp();
    let publication = harness.keys.publication();
    const verify = createOwnTokenVerifier({
      tokens: harness.config.tokens,
      keyStore: { publication: () => publication },
      now: harness.clock.now,
    });
    await expect(verify(token)).resolves.toBeDefined();
    await expect(verify(token)).resolves.toBeDefined();
    publication = { body: JSON.stringify({ keys: [] }), etag: '"empty"', algorithms: [] };
    await expect(verify(token)).resolves.toBeUndefined();
  });
});
