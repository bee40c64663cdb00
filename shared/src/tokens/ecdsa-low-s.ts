/**
 * ECDSA signatures come in pairs: if (r, s) verifies, so does (r, n - s), a different JWS
 * string for the same token. The low-S form (s <= n/2, as Bitcoin's BIP 62 fixes it) is the
 * one Gatehouse issues and the only one its verifier accepts, so a token accepted is the very
 * string that was issued. Signatures are JWS raw `r || s` (RFC 7518 section 3.4).
 */

/** The group order n of each JWS ECDSA algorithm's curve. */
const ORDERS: Readonly<Record<string, { n: bigint; size: number }>> = {
  ES256: { n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n, size: 32 },
  ES384: {
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    size: 48,
  },
  ES512: {
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    size: 66,
  },
};

const toBigInt = (bytes: Uint8Array) =>
  bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

/**
 * False only for an ECDSA (`ES*`) signature whose `s` is above n/2; any other algorithm, or
 * a signature of the wrong length (the signature check refuses it anyway), is not judged here.
 *
 * @example
 * isLowS('ES256', Buffer.from(token.split('.')[2], 'base64url')); // true for what we issue
 */
export function isLowS(alg: unknown, signature: Uint8Array): boolean {
  const curve = typeof alg === 'string' ? ORDERS[alg] : undefined;
  if (curve === undefined || signature.length !== 2 * curve.size) return true;
  return toBigInt(signature.subarray(curve.size)) <= curve.n / 2n;
}

/**
 * The low-S form of a raw `r || s` signature for `alg` (the same bytes when already low, or
 * when `alg` is not ECDSA).
 *
 * @example
 * const signature = toLowS('ES256', sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }));
 */
export function toLowS(alg: string, signature: Uint8Array): Uint8Array {
  if (isLowS(alg, signature)) return signature;
  const { n, size } = ORDERS[alg]!;
  const s = n - toBigInt(signature.subarray(size));
  const low = Buffer.from(signature);
  Buffer.from(s.toString(16).padStart(size * 2, '0'), 'hex').copy(low, size);
  return low;
}

/**
 * A compact JWS (a JWT) with its signature in low-S form: what an issuer signing ES256 with
 * jose or node crypto (either form, at random) applies before handing the token out.
 *
 * @example
 * const token = withLowS(await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid }).sign(key));
 */
export function withLowS(jws: string): string {
  const [header = '', payload = '', signature = ''] = jws.split('.');
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
    alg?: unknown;
  };
  const bytes = Buffer.from(signature, 'base64url');
  if (typeof alg !== 'string' || isLowS(alg, bytes)) return jws;
  return `${header}.${payload}.${Buffer.from(toLowS(alg, bytes)).toString('base64url')}`;
}
