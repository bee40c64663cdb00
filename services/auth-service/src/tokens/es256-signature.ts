/** P-256's group order n, and n / 2 (rounded down): s above it is the high form. */
const N = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
const HALF_N = Buffer.from(
  '7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8',
  'hex',
);
const SIZE = 32;

/**
 * The JWS form of an ES256 signature (RFC 7518 section 3.4: raw `r || s`, 64 bytes) from the
 * DER `SEQUENCE { INTEGER r, INTEGER s }` node:crypto signs with by default, with `s` in its
 * low form (s <= n/2; the only form Gatehouse issues and its verifiers accept, see shared
 * ecdsa-low-s.ts). One pass over 72 bytes, without BigInt or hex strings.
 *
 * @example
 * const jws = es256Signature(sign('sha256', input, privateKey)); // 64 bytes, low-S
 */
export function es256Signature(der: Uint8Array): Buffer {
  if (der[0] !== 0x30 || der[1] !== der.length - 2) throw malformed();
  const out = Buffer.alloc(2 * SIZE);
  const afterR = readInteger(der, 2, out, 0);
  if (readInteger(der, afterR, out, SIZE) !== der.length) throw malformed();
  const s = out.subarray(SIZE);
  if (Buffer.compare(s, HALF_N) > 0) subtractFromN(s);
  return out;
}

/** Copies the DER INTEGER at `at` right-aligned into `out[offset..offset+32)`; returns its end. */
function readInteger(der: Uint8Array, at: number, out: Buffer, offset: number): number {
  const length = der[at + 1];
  if (der[at] !== 0x02 || length === undefined || length === 0) throw malformed();
  let start = at + 2;
  const end = start + length;
  while (start < end - 1 && der[start] === 0) start += 1; // the sign byte, never a value byte
  if (end - start > SIZE || end > der.length) throw malformed();
  out.set(der.subarray(start, end), offset + SIZE - (end - start));
  return end;
}

/** s := n - s, in place, big-endian (0 < s < n, so no borrow is left over). */
function subtractFromN(s: Buffer): void {
  let borrow = 0;
  for (let i = SIZE - 1; i >= 0; i -= 1) {
    const difference = N[i]! - s[i]! - borrow;
    borrow = difference < 0 ? 1 : 0;
    s[i] = difference & 0xff;
  }
}

function malformed(): Error {
  return new Error('not a DER-encoded P-256 ECDSA signature');
}
