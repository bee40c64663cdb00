import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { isLowS, toLowS } from '@gatehouse/shared';
import { es256Signature } from '../../src/tokens/es256-signature.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const RAW = { key: publicKey, dsaEncoding: 'ieee-p1363' } as const;

/** A DER signature of two integers given as big-endian bytes (minimal, sign byte added). */
function der(r: Buffer, s: Buffer): Buffer {
  const integer = (bytes: Buffer) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
    const value = bytes.subarray(start);
    const body = value[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value;
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const content = Buffer.concat([integer(r), integer(s)]);
  return Buffer.concat([Buffer.from([0x30, content.length]), content]);
}

describe('es256Signature', () => {
  it('when node signs in DER, then the result is the low-S raw form that verifies', () => {
    let highSeen = 0;
    for (let i = 0; i < 200; i++) {
      const data = Buffer.from(`token ${i}`);
      const signature = sign('sha256', data, privateKey);
      const raw = es256Signature(signature);
      // The same signature decoded by node as raw r||s, then made low-S by shared's BigInt code.
      const expected = toLowS('ES256', derToRaw(signature));
      if (!isLowS('ES256', derToRaw(signature))) highSeen += 1;
      expect(raw).toEqual(Buffer.from(expected));
      expect(raw).toHaveLength(64);
      expect(isLowS('ES256', raw)).toBe(true);
      expect(verify('sha256', data, RAW, raw)).toBe(true);
    }
    expect(highSeen).toBeGreaterThan(0);
  });

  it('when r or s is short (leading zero bytes), then each is right-aligned in its 32 bytes', () => {
    const r = Buffer.alloc(32, 0);
    r[31] = 7;
    const s = Buffer.alloc(32, 0);
    s.fill(0x11, 2);
    expect(es256Signature(der(r, s))).toEqual(Buffer.concat([r, s]));
  });

  it('when s is just above n/2, then it becomes n - s', () => {
    const half = Buffer.from(
      '7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8',
      'hex',
    );
    const above = Buffer.from(half);
    above[31] += 1;
    const r = Buffer.alloc(32, 0x42);
    const out = es256Signature(der(r, above));
    expect(out.subarray(32)).toEqual(half); // n - (n/2 + 1) = n/2 for odd n
    expect(es256Signature(der(r, half)).subarray(32)).toEqual(half);
  });

  it('when the input is not a DER P-256 signature, then it throws', () => {
    const good = sign('sha256', Buffer.from('x'), privateKey);
    for (const bad of [
      Buffer.alloc(0),
      good.subarray(0, good.length - 1),
      Buffer.concat([good, Buffer.from([0])]),
      der(Buffer.alloc(33, 1), Buffer.alloc(32, 1)),
    ]) {
      expect(() => es256Signature(bad)).toThrow('not a DER-encoded P-256 ECDSA signature');
    }
  });
});

/** A plain reference decoding of P-256 DER (short-form lengths), to compare against. */
function derToRaw(signature: Buffer): Buffer {
  const rLength = signature[3]!;
  const r = signature.subarray(4, 4 + rLength);
  const s = signature.subarray(6 + rLength);
  const pad = (bytes: Buffer) => Buffer.concat([Buffer.alloc(32), bytes]).subarray(-32);
  return Buffer.concat([pad(r), pad(s)]);
}
