import type Router from '@koa/router';
import type { Context } from 'koa';
import { isFormRequest, readForm } from '@gatehouse/shared/koa';
import { createAuthRouter } from '../http/auth-router.js';
import { requireSignedInUser } from './require-signed-in-user.js';
import { signedInSession } from './signed-in-session.js';
import type { UserDirectory } from '../users/user-directory.js';
import { LOGOUT_PATH, SESSION_PATH } from '../http/endpoints.js';

/**
 * GET /auth/session: the signed-in user and the provider they signed in with, 401
 * `login_required` otherwise.
 * POST /auth/logout: same-origin only (app.ts's guard on every unsafe /auth request), so a
 * cross-site page cannot sign the visitor out; destroys the session in the store (so a
 * copied cookie is worthless) and clears the cookie, and records the session's `sid` in the
 * revocation feed, so its access tokens stop working at the APIs too. With the form field
 * `everywhere=1`, every session and device grant of the user ends, recorded by `sub`. The
 * gateway pass cookie (gateway-pass-routes.ts) is cleared as well, signed in or not.
 * 204 for scripts; 303 to `/` for an HTML form post (a client that prefers HTML).
 */
export function sessionRoutes(options: {
  directory: UserDirectory;
  /** What ends access beyond this session (account/account-actions.ts). */
  actions: {
    loggedOut(sid: string): Promise<void>;
    signOutEverywhere(userId: string): Promise<void>;
  };
  /** Clears the gateway pass cookie in the response. */
  clearPass: (ctx: Context) => void;
}): Router {
  const { actions } = options;
  const router = createAuthRouter();
  router.get(SESSION_PATH, async (ctx) => {
    const { user, provider } = await requireSignedInUser(ctx, options.directory);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      sub: user.id,
      email: user.email,
      name: user.name,
      picture: user.picture,
      roles: user.roles,
      provider,
    };
  });
  router.post(LOGOUT_PATH, async (ctx) => {
    const everywhere = isFormRequest(ctx)
      ? (await readForm(ctx, { limitBytes: 1024 })).get('everywhere') === '1'
      : false;
    const signedIn = signedInSession(ctx.session);
    ctx.session = null;
    options.clearPass(ctx);
    if (signedIn && everywhere) await actions.signOutEverywhere(signedIn.userId);
    else if (signedIn) await actions.loggedOut(signedIn.sid);
    ctx.set('Cache-Control', 'no-store');
    if (ctx.accepts('json', 'html') === 'html') {
      ctx.status = 303;
      ctx.redirect('/');
    } else {
      ctx.status = 204;
    }
  });
  return router;
}
