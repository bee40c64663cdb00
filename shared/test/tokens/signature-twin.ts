/** The order of Ed25519's base point (RFC 8032): S and S + L are the same scalar mod L. */
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

const big = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const bytes = (value: bigint, length: number) =>
  Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');

/**
 * The same token with its signature's algebraic twin, the other encoding of the same
 * signature a lenient verifier would accept: ES256 (r, n - s); EdDSA S + L (little-endian);
 * RS256 s + n when it still fits the modulus length (undefined when it does not).
 *
 * @example
 * const twin = signatureTwin(token, key.publicJwk); // must be refused
 */
export function signatureTwin(
  token: string,
  publicJwk: { kty?: unknown; n?: unknown },
): string | undefined {
  const [header, payload, encoded] = token.split('.') as [string, string, string];
  const sig = Buffer.from(encoded, 'base64url');
  let twin: Buffer | undefined;
  if (publicJwk.kty === 'EC') {
    twin = Buffer.concat([sig.subarray(0, 32), bytes(P256_N - big(sig.subarray(32)), 32)]);
  } else if (publicJwk.kty === 'OKP') {
    const s = big(Buffer.from(sig.subarray(32)).reverse()) + ED25519_L;
    twin = Buffer.concat([sig.subarray(0, 32), bytes(s, 32).reverse()]);
  } else {
    const n = big(Buffer.from(String(publicJwk.n), 'base64url'));
    const s = big(sig) + n;
    twin = s < 2n ** BigInt(sig.length * 8) ? bytes(s, sig.length) : undefined;
  }
  return twin && `${header}.${payload}.${twin.toString('base64url')}`;
}
