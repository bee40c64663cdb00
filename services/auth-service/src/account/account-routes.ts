import { HttpError } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { AccountActions } from './account-actions.js';
import { accountView } from './account-view.js';
import type { ClientRegistry } from '../oauth/clients/client.js';
import type { RefreshTokenStore } from '../oauth/refresh/refresh-token-store.js';
import { requireSignedInUser } from '../sessions/require-signed-in-user.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserDirectory } from '../users/user-directory.js';
import { createAuthRouter } from '../http/auth-router.js';
import {
  ACCOUNT_GRANT_REVOKE_PATH,
  ACCOUNT_PATH,
  ACCOUNT_SESSION_END_PATH,
} from '../http/endpoints.js';

/**
 * The account page's endpoints, for the signed-in browser session (401 `login_required`
 * otherwise; POSTs are same-origin only, app.ts's guard on every unsafe /auth request):
 * - GET /auth/account: the user, their linked identities (the one this session came through
 *   `current`) and the providers they can link, their sessions (the asking one `current`)
 *   and device grants;
 * - POST /auth/account/sessions/{id}/end: ends one session by its `sid` (ending the current
 *   one also clears the cookie);
 * - POST /auth/account/grants/{id}/revoke: revokes one device grant (refresh family).
 * Both POSTs answer 204, or 404 `not_found` for an id that is not one of the user's.
 */
export function accountRoutes(options: {
  directory: Pick<UserDirectory, 'findById' | 'identities'>;
  sessions: Pick<SessionStore, 'listOfUser'>;
  refreshTokens: Pick<RefreshTokenStore, 'listLiveOfUser'>;
  clients: Pick<ClientRegistry, 'find'>;
  actions: AccountActions;
  now: () => number;
  providers: readonly { id: string; name: string }[];
}): Router {
  const { directory, actions } = options;
  const router = createAuthRouter();
  router.get(ACCOUNT_PATH, async (ctx) => {
    const { user, sid, provider } = await requireSignedInUser(ctx, directory);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await accountView(options, user, { sid, provider }, options.now());
  });
  router.post(ACCOUNT_SESSION_END_PATH, async (ctx) => {
    const { user, sid: currentSid } = await requireSignedInUser(ctx, directory);
    const sid = ctx.params.id!;
    const current = sid === currentSid;
    if (!(await actions.endSession(user, sid))) throw notFound('session');
    if (current) ctx.session = null;
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });
  router.post(ACCOUNT_GRANT_REVOKE_PATH, async (ctx) => {
    const { user } = await requireSignedInUser(ctx, directory);
    if (!(await actions.revokeGrant(user, ctx.params.id!))) throw notFound('grant');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });
  return router;
}

function notFound(what: string): HttpError {
  return new HttpError(404, 'not_found', `no such ${what} of yours is active`);
}
