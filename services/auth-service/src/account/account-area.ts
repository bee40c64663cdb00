import type Router from '@koa/router';
import type { ClientRegistry } from '../oauth/clients/client.js';
import type { DeviceAuthorizationStore } from '../oauth/device/device-authorization-store.js';
import type { RefreshTokenStore } from '../oauth/refresh/refresh-token-store.js';
import type { RefreshTokens } from '../oauth/refresh/refresh-tokens.js';
import type { AccessEnded } from '../oauth/revocation-feed/ended-access.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserDirectory } from '../users/user-directory.js';
import { createAccountActions, type AccountActions } from './account-actions.js';
import { accountRoutes } from './account-routes.js';
import { adminRoutes } from './admin-routes.js';
import { identityRoutes } from './identity-routes.js';

/**
 * The account page and its administration: what a signed-in user (or an admin) can see and
 * end. Returns its routers and the actions, which sign-out (sessions/session-routes.ts) uses.
 *
 * @example
 * const account = accountArea({ stores, refresh, ended, now, providers: config.providers });
 * account.routers; // GET /auth/account, ..., /auth/account/identities/..., /auth/admin/users
 */
export function accountArea(options: {
  stores: {
    directory: UserDirectory;
    sessions: SessionStore;
    clients: ClientRegistry;
    devices: DeviceAuthorizationStore;
    refreshTokens: RefreshTokenStore;
  };
  refresh: RefreshTokens;
  ended: AccessEnded;
  now: () => number;
  /** The configured providers: the page offers to link each. */
  providers: readonly { id: string; name: string }[];
}): { actions: AccountActions; routers: Router[] } {
  const { stores, now } = options;
  const actions = createAccountActions({
    ...stores,
    refresh: options.refresh,
    now,
    ended: options.ended,
  });
  return {
    actions,
    routers: [
      accountRoutes({ ...stores, actions, now, providers: options.providers }),
      identityRoutes({ directory: stores.directory, providers: options.providers }),
      adminRoutes({ directory: stores.directory, actions }),
    ],
  };
}
