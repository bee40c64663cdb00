import type { DeviceAuthorizationStore } from '../oauth/device/device-authorization-store.js';
import type { RefreshTokenStore } from '../oauth/refresh/refresh-token-store.js';
import type { RefreshTokens } from '../oauth/refresh/refresh-tokens.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { User } from '../users/user.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { AccessEnded } from '../oauth/revocation-feed/ended-access.js';

export type { EndedAccess } from '../oauth/revocation-feed/ended-access.js';

/**
 * What the account and admin pages can end. Each ends the state in the stores first (so the
 * cookie or refresh token stops working at once), then tells `ended`, which records it for the
 * APIs, whose access tokens would otherwise live until they expire. Ownership is part of every
 * lookup: naming another user's session or grant ends nothing and reads as not found.
 *
 * Ending a user (sign out everywhere, disable, remove) ends everything that can still become
 * or mint a token, in one place: sessions, refresh families, and device codes approved but
 * not yet redeemed (their next poll is `access_denied`), then the user's access tokens.
 *
 * @example
 * const actions = createAccountActions({ sessions, refreshTokens, refresh, devices, directory, now, ended });
 * await actions.endSession(user, sid); // false: no such session of this user
 */
export function createAccountActions(options: {
  sessions: Pick<SessionStore, 'endBySid' | 'endAllOfUser'>;
  refreshTokens: Pick<RefreshTokenStore, 'listLiveOfUser' | 'revokeAllOfUser'>;
  /** Revokes one family and tells the feed (oauth/refresh/refresh-tokens.ts). */
  refresh: Pick<RefreshTokens, 'revokeFamily'>;
  devices: Pick<DeviceAuthorizationStore, 'endApprovedOfUser'>;
  directory: Pick<UserDirectory, 'setDisabled' | 'remove'>;
  now: () => number;
  ended: AccessEnded;
}) {
  const { sessions, refreshTokens, refresh, devices, directory, now, ended } = options;

  /**
   * Every session, grant and approved device code of the user, then their access tokens.
   * Approved codes end before families: the device grant saves its family before it spends
   * its code, so a code redeemed meanwhile has a family the next step revokes.
   */
  async function endUser(userId: string, reason: EndReason): Promise<void> {
    await sessions.endAllOfUser(userId);
    await devices.endApprovedOfUser(userId);
    await refreshTokens.revokeAllOfUser(userId, now(), reason);
    await ended({ sub: userId, reason });
  }

  return {
    /** Ends the user's browser session `sid`; false when the user has none by that id. */
    async endSession(user: User, sid: string): Promise<boolean> {
      if (!(await sessions.endBySid(user.id, sid))) return false;
      await ended({ sid, reason: 'session_ended' });
      return true;
    },

    /** Revokes the user's device grant (refresh family); false when it is not theirs or live. */
    async revokeGrant(user: User, familyId: string): Promise<boolean> {
      const live = await refreshTokens.listLiveOfUser(user.id, now());
      if (!live.some((family) => family.id === familyId)) return false;
      await refresh.revokeFamily(familyId, 'revoked_by_user', 'grant_revoked');
      return true;
    },

    /** This browser signed out (POST /auth/logout); the session is already destroyed. */
    async loggedOut(sid: string): Promise<void> {
      await ended({ sid, reason: 'logged_out' });
    },

    /** "Sign out everywhere": every session and grant of the user ends, and their access tokens. */
    async signOutEverywhere(userId: string): Promise<void> {
      await endUser(userId, 'signed_out_everywhere');
    },

    /** Disables `target` and ends everything it holds: sessions, grants, access tokens. */
    async disableUser(target: Pick<User, 'id'>): Promise<void> {
      await directory.setDisabled(target.id, true);
      await endUser(target.id, 'user_disabled');
    },

    /** Removes `target` from the directory and ends everything it held. */
    async removeUser(target: Pick<User, 'id'>): Promise<void> {
      await directory.remove(target.id);
      await endUser(target.id, 'user_removed');
    },
  };
}

export type AccountActions = ReturnType<typeof createAccountActions>;

/** Why a user's access ended, as the revocation feed and the refresh store record it. */
type EndReason = 'signed_out_everywhere' | 'user_disabled' | 'user_removed';
