import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClientSecretHashes } from './client.js';

/**
 * A new client secret: 256 random bits, base64url (43 characters). Shown once; the registry
 * keeps only `hashClientSecret` of it.
 */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 of the secret. A slow password hash buys nothing for 256-bit random input: nobody
 * can enumerate the space, and a fast hash keeps a flood of wrong secrets cheap (the one-shot
 * `hash`, without a Hash object per request).
 */
export function hashClientSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/**
 * Whether `presented` is the client's current secret, or the previous one inside its overlap.
 * Both hashes are compared in constant time (equal-length digests), whatever matches.
 *
 * @example
 * secretMatches(form.get('client_secret')!, await clients.secretHashes(id), Date.now());
 */
export function secretMatches(presented: string, hashes: ClientSecretHashes, now: number): boolean {
  const digest = hashClientSecret(presented);
  const current = sameDigest(digest, hashes.current);
  const previousLive =
    hashes.previous !== null && hashes.previousExpiresAt !== null && now < hashes.previousExpiresAt;
  const previous = sameDigest(digest, hashes.previous ?? hashes.current);
  return current || (previousLive && previous);
}

function sameDigest(digest: Buffer, storedBase64url: string): boolean {
  const stored = Buffer.from(storedBase64url, 'base64url');
  return stored.length === digest.length && timingSafeEqual(stored, digest);
}

/** The stored form of a secret's hash. */
export function storedSecretHash(secret: string): string {
  return hashClientSecret(secret).toString('base64url');
}
