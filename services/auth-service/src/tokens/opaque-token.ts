import { hash, randomBytes } from 'node:crypto';

/**
 * A new opaque credential (device code, refresh token): 256 random bits, base64url. Stores
 * keep only `hashOpaqueToken` of it, so a copy of the database holds nothing to present.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256, base64url: enough for 256-bit random input (no salt or slow hash is needed). The
 * one-shot `hash`, not a Hash object per call: this runs on every token request.
 */
export function hashOpaqueToken(token: string): string {
  return hash('sha256', token, 'base64url');
}
