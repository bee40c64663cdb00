import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { isLowS, toLowS, withLowS } from '../../src/tokens/ecdsa-low-s.js';
import { signatureTwin } from './signature-twin.js';
import { signTestToken, testKey } from './support.js';

const CURVES = [
  ['ES256', 'P-256', 'sha256'],
  ['ES384', 'P-384', 'sha384'],
  ['ES512', 'P-521', 'sha512'],
] as const;

describe('low-S ECDSA signatures', () => {
  it.each(CURVES)(
    'when %s signatures are normalised, then each is low-S and still verifies, and its twin is high-S and verifies too',
    (alg, namedCurve, digest) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
      const key = { key: publicKey, dsaEncoding: 'ieee-p1363' } as const;
      const seen = new Set<boolean>();
      for (let i = 0; i < 32; i++) {
        const data = Buffer.from(`message ${i}`);
        const raw = sign(digest, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        seen.add(isLowS(alg, raw));
        const low = toLowS(alg, raw);
        expect(isLowS(alg, low)).toBe(true);
        // A rewritten signature verifies only if n (the curve order) is right.
        expect(verify(digest, data, key, low)).toBe(true);
        const size = low.length / 2;
        if (!Buffer.from(raw).equals(Buffer.from(low))) {
          expect(isLowS(alg, raw)).toBe(false);
          expect(verify(digest, data, key, raw)).toBe(true);
          expect(Buffer.from(raw).subarray(0, size)).toEqual(Buffer.from(low).subarray(0, size));
        }
      }
      // node signs either form at random: 32 signatures show both (odds of not: 2^-31).
      expect(seen).toEqual(new Set([true, false]));
    },
  );

  it('when a compact JWS is given, then withLowS rewrites only a high-S ES256 signature', () => {
    const es = testKey('ES256');
    const token = signTestToken({ key: es });
    const twin = signatureTwin(token, es.publicJwk)!;
    expect(withLowS(token)).toBe(token);
    expect(withLowS(twin)).toBe(token);
    const ed = signTestToken({ key: testKey('EdDSA') });
    expect(withLowS(ed)).toBe(ed);
  });

  it('when the algorithm is not ECDSA or the length is wrong, then isLowS does not judge', () => {
    expect(isLowS('EdDSA', Buffer.alloc(64, 0xff))).toBe(true);
    expect(isLowS('ES256', Buffer.alloc(63, 0xff))).toBe(true);
    expect(isLowS('ES256', Buffer.alloc(64, 0xff))).toBe(false);
  });
});
