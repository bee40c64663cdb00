import { createHash } from 'node:crypto';
import type { JWK } from 'jose';

/** The members RFC 7638 hashes per key type, already in lexicographic order. */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a JWK, base64url; the same value as jose's
 * `calculateJwkThumbprint`, computed synchronously so keys load without awaiting.
 */
export function jwkThumbprint(jwk: JWK): string {
  const members = REQUIRED_MEMBERS[jwk.kty ?? ''];
  if (!members) throw new TypeError(`unsupported key type "${String(jwk.kty)}"`);
  const canonical: Record<string, unknown> = {};
  for (const member of members) {
    const value = (jwk as Record<string, unknown>)[member];
    if (typeof value !== 'string') throw new TypeError(`"${member}" is missing`);
    canonical[member] = value;
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
