import { describe, expect, it } from '@jest/globals';
import { calculateJwkThumbprint } from 'jose';
import { generatePrivateKey, SIGNING_ALGS } from '../../src/keys/signing-alg.js';
import {
  parsePrivateJwk,
  signingKeyFromKeyObject,
  SigningKeyError,
} from '../../src/keys/signing-key.js';
import { privateJwk } from '../support/key-fixtures.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe('signing keys', () => {
  it.each(SIGNING_ALGS)(
    'when a %s key is made, then kid is the RFC 7638 thumbprint',
    async (alg) => {
      const key = signingKeyFromKeyObject(generatePrivateKey(alg), alg);
      expect(key.kid).toBe(await calculateJwkThumbprint(key.publicJwk, 'sha256'));
      expect(key.alg).toBe(alg);
      expect(key.publicJwk).toMatchObject({ kid: key.kid, alg, use: 'sig' });
      for (const member of PRIVATE_MEMBERS) expect(key.publicJwk).not.toHaveProperty(member);
      expect(key.privateJwk).toHaveProperty('d');
    },
  );

  it('when a key carries its correct kid and alg, then it is accepted', () => {
    const jwk = privateJwk('EdDSA');
    const first = parsePrivateJwk(jwk);
    expect(parsePrivateJwk({ ...jwk, kid: first.kid, alg: 'EdDSA', use: 'sig' }).kid).toBe(
      first.kid,
    );
  });

  const bad: [string, () => Record<string, unknown>, RegExp][] = [
    ['a public key', () => ({ ...privateJwk(), d: undefined }), /"d" is missing/],
    ['a symmetric key', () => ({ kty: 'oct', k: 'c2VjcmV0' }), /"kty" must be/],
    ['a P-384 key', () => ({ ...privateJwk(), crv: 'P-384' }), /"crv" must be "P-256"/],
    ['a wrong alg', () => ({ ...privateJwk(), alg: 'RS256' }), /"alg" must be "ES256"/],
    ['use enc', () => ({ ...privateJwk(), use: 'enc' }), /"use" must be "sig"/],
    [
      'a made-up kid',
      () => ({ ...privateJwk(), kid: 'key-1' }),
      /"kid" must be the key's RFC 7638/,
    ],
    [
      'a foreign x',
      () => ({ ...privateJwk('EdDSA'), x: privateJwk('EdDSA').x }),
      /"x" does not match/,
    ],
    ['a garbled d', () => ({ ...privateJwk(), d: 'not-a-key' }), /"d" does not belong/],
    ['a d too short', () => ({ ...privateJwk(), d: 'AA', x: 'AA' }), /not a valid EC private key/],
    ['not an object', () => [] as unknown as Record<string, unknown>, /must be a JSON object/],
  ];
  it.each(bad)('when given %s, then a SigningKeyError names the member', (_name, make, message) => {
    expect(() => parsePrivateJwk(make())).toThrow(SigningKeyError);
    expect(() => parsePrivateJwk(make())).toThrow(message);
  });

  it('when an RSA key is shorter than 2048 bits, then it is refused', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => parsePrivateJwk(short.export({ format: 'jwk' }))).toThrow(/at least 2048 bits/);
  });
});
