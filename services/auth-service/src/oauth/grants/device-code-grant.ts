import { DEVICE_CODE_GRANT } from '../clients/client.js';
import type {
  DeviceAuthorization,
  DeviceAuthorizationStore,
} from '../device/device-authorization-store.js';
import type { RefreshTokens } from '../refresh/refresh-tokens.js';
import type { AccessTokenIssuer } from '../../tokens/access-token-issuer.js';
import { grantedScope } from '../../tokens/granted-scope.js';
import { hashOpaqueToken } from '../../tokens/opaque-token.js';
import type { User } from '../../users/user.js';
import type { Grant } from './grant.js';
import { issueTokens } from './issue-tokens.js';
import type { HttpError } from '@gatehouse/shared';
import { oauthError, requireParam } from '../../http/oauth-error.js';

/** RFC 8628 section 3.5: every `slow_down` adds this many seconds to the interval. */
export const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 section 3.4). Answers
 * exactly as section 3.5 says: `authorization_pending` until the user decides, `slow_down`
 * (interval raised by 5 s for this and every later poll) for a poll sooner than the interval,
 * `access_denied`, `expired_token`; an approved code is exchanged once (`invalid_grant` after).
 * The approving user is read from the directory now: disabled since approval is refused. The
 * grant (its refresh family) holds what was approved, within the client's registered scopes
 * and the user's roles today (tokens/granted-scope.ts); nothing left is `invalid_scope`.
 * The code is spent only after the grant's refresh family is saved, so a user ended meanwhile
 * (sign out everywhere, disable, remove) cannot leave a live family behind.
 */
export function deviceCodeGrant(options: {
  devices: DeviceAuthorizationStore;
  directory: { findById(id: string): Promise<User | undefined> };
  refresh: RefreshTokens;
  issue: AccessTokenIssuer;
  now: () => number;
}): Grant<{ deviceCodeHash: string }, { deviceCodeHash: string; user: User; scope: string }> {
  const { devices, directory, now } = options;
  return {
    type: DEVICE_CODE_GRANT,
    parse: (form) => ({ deviceCodeHash: hashOpaqueToken(requireParam(form, 'device_code')) }),
    async authorize({ deviceCodeHash }, { client }) {
      const at = now();
      let refusal: HttpError | undefined;
      // Judged while the code is read, so the poll is recorded (or not) in the same step.
      const device = await devices.poll(deviceCodeHash, at, (found) => {
        const verdict = judgePoll(found, client.clientId, at);
        refusal = verdict.refusal;
        return verdict.interval;
      });
      if (!device) throw oauthError('invalid_grant', 'unknown device code');
      if (refusal) throw refusal;
      const user = device.userId === null ? undefined : await directory.findById(device.userId);
      if (!user || user.disabled) throw oauthError('invalid_grant', 'the user is not active');
      const { scope } = grantedScope({
        roles: user.roles,
        registered: client.scopes,
        requested: device.scope,
      });
      if (scope === '') {
        throw oauthError('invalid_scope', 'none of the approved scopes is granted to this user');
      }
      return { deviceCodeHash, user, scope };
    },
    async issue({ deviceCodeHash, user, scope }, { client, log, from }) {
      // The family is saved before the code is spent: ending the user (which ends approved
      // codes, then families) either finds this family or leaves the code unspendable.
      const { token, family } = await options.refresh.issue({
        client,
        userId: user.id,
        scope,
        from,
      });
      if (!(await devices.consume(deviceCodeHash))) {
        await options.refresh.revokeFamily(family.id, 'device_code_not_redeemed');
        const current = await devices.findByDeviceCode(deviceCodeHash);
        if (current?.status === 'denied') {
          throw oauthError('access_denied', 'the approval was withdrawn');
        }
        throw oauthError('invalid_grant', 'the device code has already been used');
      }
      log.info({ sub: user.id, client_id: client.clientId, sid: family.id }, 'device login');
      return issueTokens(options.issue, {
        user,
        client,
        familyId: family.id,
        scope,
        refreshToken: token,
      });
    },
  };
}

/**
 * RFC 8628 section 3.5 for one poll of `device` by `clientId` at `at`: the refusal to answer,
 * if any, and the interval to record the poll with (none for a code the poll cannot use:
 * another client's, expired or spent). A poll sooner than the interval raises it by
 * SLOW_DOWN_STEP_SECONDS for this and every later poll.
 */
function judgePoll(
  device: DeviceAuthorization,
  clientId: string,
  at: number,
): { refusal?: HttpError; interval?: number } {
  if (device.clientId !== clientId) {
    return { refusal: oauthError('invalid_grant', 'unknown device code') };
  }
  if (device.expiresAt <= at) {
    return { refusal: oauthError('expired_token', 'the device code has expired; start again') };
  }
  if (device.status === 'used') {
    return { refusal: oauthError('invalid_grant', 'the device code has already been used') };
  }
  if (device.lastPolledAt !== null && at - device.lastPolledAt < device.interval * 1000) {
    const interval = device.interval + SLOW_DOWN_STEP_SECONDS;
    return {
      interval,
      refusal: oauthError('slow_down', `polling too fast; wait ${interval} s between requests`),
    };
  }
  const { interval } = device;
  if (device.status === 'pending') {
    return {
      interval,
      refusal: oauthError('authorization_pending', 'the user has not approved the request yet'),
    };
  }
  if (device.status === 'denied') {
    return { interval, refusal: oauthError('access_denied', 'the user denied the request') };
  }
  return { interval };
}
