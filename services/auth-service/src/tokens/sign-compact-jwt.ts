import { sign } from 'node:crypto';
import type { ActiveKey } from '../keys/key-store.js';
import { SIGNING_DIGESTS, type SigningAlg } from '../keys/signing-alg.js';
import { es256Signature } from './es256-signature.js';

/**
 * A compact JWS (RFC 7515) over `payload`, signed synchronously with node:crypto: the same
 * bytes jose would produce (ES256 as the raw r||s of RFC 7518 section 3.4, in its low-S form,
 * es256-signature.ts), without a WebCrypto job and promise per token. `encodedHeader` is the
 * base64url protected header, built once per key by `encodedJwtHeader`.
 *
 * @example
 * const header = encodedJwtHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' });
 * const jwt = signCompactJwt(key, header, { sub: 'billing', exp });
 */
export function signCompactJwt(
  key: Pick<ActiveKey, 'alg' | 'privateKey'>,
  encodedHeader: string,
  payload: object,
): string {
  const input = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  // The KeyObject itself rather than `{ key, dsaEncoding }`: node tells the two apart by
  // trying to read the argument as a KeyObject and catching the throw, on every call.
  const signature = sign(SIGNING_DIGESTS[key.alg], Buffer.from(input), key.privateKey);
  const jws = key.alg === 'ES256' ? es256Signature(signature) : signature;
  return `${input}.${jws.toString('base64url')}`;
}

/** The base64url JOSE header, for `signCompactJwt`. */
export function encodedJwtHeader(header: { alg: SigningAlg; kid: string; typ: string }): string {
  return Buffer.from(JSON.stringify(header)).toString('base64url');
}
