import type { AccessTokenClaims } from './access-token-claims.js';

interface Entry {
  readonly claims: AccessTokenClaims;
  readonly kid: string;
  /** Epoch ms after which the token no longer verifies (exp plus the clock tolerance). */
  readonly expiresAt: number;
  /** The insertion count when the entry last moved to the young end. */
  touched: number;
}

export interface VerifiedTokenCache {
  get(
    token: string,
    now: number,
    isKeyCurrent: (kid: string) => boolean,
  ): AccessTokenClaims | undefined;
  set(token: string, kid: string, claims: AccessTokenClaims, expiresAt: number): void;
  readonly size: number;
}

/**
 * Remembers tokens that passed every check, so a client repeating its token skips the
 * signature check. Bounded (roughly least recently used goes first; `maxEntries` 0 disables it); an
 * entry is served only until the token expires and only while its key is still in the current
 * JWKS, so expiry and key withdrawal behave exactly as without the cache. Keyed by the whole
 * token string: two tokens that differ in one byte are two entries.
 */
export function createVerifiedTokenCache(maxEntries: number): VerifiedTokenCache {
  const entries = new Map<string, Entry>();
  // Approximate LRU: a hit moves its entry to the young end only once a quarter of the cache
  // has been inserted since, so a hot token does not pay two Map writes on every request.
  const touchEvery = Math.max(1, Math.floor(maxEntries / 4));
  let insertions = 0;
  return {
    get(token, now, isKeyCurrent) {
      if (maxEntries === 0) return undefined;
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      if (now >= entry.expiresAt || !isKeyCurrent(entry.kid)) {
        entries.delete(token);
        return undefined;
      }
      if (insertions - entry.touched >= touchEvery) {
        // Map iteration order is insertion order: re-inserting marks the entry most recent.
        entries.delete(token);
        entry.touched = ++insertions;
        entries.set(token, entry);
      }
      return entry.claims;
    },
    set(token, kid, claims, expiresAt) {
      if (maxEntries === 0) return;
      entries.delete(token);
      entries.set(token, { claims, kid, expiresAt, touched: ++insertions });
      while (entries.size > maxEntries) {
        entries.delete(entries.keys().next().value as string);
      }
    },
    get size() {
      return entries.size;
    },
  };
}
