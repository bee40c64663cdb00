import type { Stores } from '../db/open-stores.js';
import {
  CLI_REVOCATION_LIFETIME_MS,
  recordEndedAccess,
  type AccessEnded,
} from '../oauth/revocation-feed/ended-access.js';

/**
 * Where a CLI that ends access (users disable and remove, clients remove) records it: the
 * revocation feed, at the command's `now`, for the longest token lifetime possible, so the
 * APIs refuse the tokens within their poll interval although the service did nothing.
 *
 * @example
 * await cliEnded(stores, now)({ sub: user.id, reason: 'user_disabled' });
 */
export function cliEnded(stores: Pick<Stores, 'revocations'>, now: number): AccessEnded {
  return recordEndedAccess({
    revocations: stores.revocations,
    now: () => now,
    lifetimeMs: CLI_REVOCATION_LIFETIME_MS,
  });
}
