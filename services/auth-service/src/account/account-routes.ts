import { HttpError } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { AccountActions } from './account-actions.js';
import { accountView } from './account-view.js';
import type { ClientRegistry } from '../oauth/clients/client.js';
import type { RefreshTokenStore } from '../oauth/refresh/refresh-token-store.js';
import { requireSignedInUser } from '../sessions/require-signed-in-user.js';
import type { SignedInSession } from '../sessions/session-middleware.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UserDirectory } from '../users/user-directory.js';
import { createAuthRouter } from '../http/auth-router.js';

/**
 * The account page's endpoints, for the signed-in browser session (401 `login_required`
 * otherwise; POSTs are same-origin only, app.ts's guard on every unsafe /auth request):
 * - GET /auth/account: the user, their sessions (the asking one `current`) and device grants;
 * - POST /auth/account/sessions/{id}/end: ends one session by its `sid` (ending the current
 *   one also clears the cookie);
 * - POST /auth/account/grants/{id}/revoke: revokes one device grant (refresh family).
 * Both POSTs answer 204, or 404 `not_found` for an id that is not one of the user's.
 */
export function accountRoutes(options: {
  directory: Pick<UserDirectory, 'findById'>;
  sessions: Pick<SessionStore, 'listOfUser'>;
  refreshTokens: Pick<RefreshTokenStore, 'listLiveOfUser'>;
  clients: Pick<ClientRegistry, 'find'>;
  actions: AccountActions;
  now: () => number;
}): Router {
  const { directory, actions } = options;
  const router = createAuthRouter();
  router.get('/auth/account', async (ctx) => {
    const user = await requireSignedInUser(ctx, directory);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await accountView(options, user, currentSid(ctx), options.now());
  });
  router.post('/auth/account/sessions/:id/end', async (ctx) => {
    const user = await requireSignedInUser(ctx, directory);
    const sid = ctx.params.id!;
    const current = sid === currentSid(ctx);
    if (!(await actions.endSession(user, sid))) throw notFound('session');
    if (current) ctx.session = null;
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });
  router.post('/auth/account/grants/:id/revoke', async (ctx) => {
    const user = await requireSignedInUser(ctx, directory);
    if (!(await actions.revokeGrant(user, ctx.params.id!))) throw notFound('grant');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });
  return router;
}

function currentSid(ctx: Context): string {
  return (ctx.session as unknown as SignedInSession).sid;
}

function notFound(what: string): HttpError {
  return new HttpError(404, 'not_found', `no such ${what} of yours is active`);
}
