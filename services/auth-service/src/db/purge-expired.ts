import { purgeEndedFamilies } from '../oauth/refresh/purge-ended-families.js';
import type { Stores } from './open-stores.js';

/**
 * Deletes, once, every row that can no longer matter: expired sessions and device
 * authorizations, ended refresh families past their tokens' lifetime, expired revocations.
 * Resolves to how many rows went. The server runs it periodically (startSessionPurge).
 *
 * @example
 * await purgeExpired(stores, config.tokens, Date.now()); // 12
 */
export async function purgeExpired(
  stores: Pick<Stores, 'sessions' | 'devices' | 'refreshTokens' | 'revocations'>,
  /** Seconds, as in the token configuration. */
  tokens: { readonly accessTokenTtl: number; readonly clockSkew: number },
  now: number,
): Promise<number> {
  return (
    (await stores.sessions.purgeExpired()) +
    (await stores.devices.purgeExpired(now)) +
    (await purgeEndedFamilies(stores.refreshTokens, tokens, now)) +
    (await stores.revocations.purgeExpired(now))
  );
}
