import type { RefreshTokenStore } from './refresh-token-store.js';
import { acceptedForMs } from '../../keys/accepted-for.js';

/**
 * Deletes the refresh families that can no longer matter, for the periodic purge. A family
 * that ended (revoked, or past its absolute or idle lifetime) is kept until every access
 * token it issued has expired, with the verifiers' clock skew, as the key lifecycle keeps a
 * retired signing key; its tokens are refused either way, as unknown once it is gone. A live
 * family is never touched, so its rotated tokens are still recognised as reuse.
 *
 * @example
 * await purgeEndedFamilies(stores.refreshTokens, config.tokens, Date.now()); // families deleted
 */
export function purgeEndedFamilies(
  store: Pick<RefreshTokenStore, 'purgeEnded'>,
  /** Seconds, as in the token configuration. */
  tokens: { readonly accessTokenTtl: number; readonly clockSkew: number },
  now: number,
): Promise<number> {
  return store.purgeEnded(now - acceptedForMs(tokens));
}
