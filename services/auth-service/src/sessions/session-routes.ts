import type Router from '@koa/router';
import { isFormRequest, readForm } from '@gatehouse/shared/koa';
import type { Context } from 'koa';
import type { AccountActions } from '../account/account-actions.js';
import { createAuthRouter } from '../http/auth-router.js';
import { requireSignedInUser } from './require-signed-in-user.js';
import type { SignedInSession } from './session-middleware.js';
import type { UserDirectory } from '../users/user-directory.js';

/**
 * GET /auth/session: the signed-in user, 401 `login_required` otherwise.
 * POST /auth/logout: same-origin only (app.ts's guard on every unsafe /auth request), so a
 * cross-site page cannot sign the visitor out; destroys the session in the store (so a
 * copied cookie is worthless) and clears the cookie, and records the session's `sid` in the
 * revocation feed, so its access tokens stop working at the APIs too. With the form field
 * `everywhere=1`, every session and device grant of the user ends, recorded by `sub`.
 * 204 for scripts; 303 to `/` for an HTML form post (a client that prefers HTML).
 */
export function sessionRoutes(options: {
  directory: UserDirectory;
  actions: Pick<AccountActions, 'loggedOut' | 'signOutEverywhere'>;
}): Router {
  const { actions } = options;
  const router = createAuthRouter();
  router.get('/auth/session', async (ctx) => {
    const user = await requireSignedInUser(ctx, options.directory);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      sub: user.id,
      email: user.email,
      name: user.name,
      picture: user.picture,
      roles: user.roles,
    };
  });
  router.post('/auth/logout', async (ctx) => {
    const everywhere = isFormRequest(ctx)
      ? (await readForm(ctx, { limitBytes: 1024 })).get('everywhere') === '1'
      : false;
    const signedIn = signedInSession(ctx);
    ctx.session = null;
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

/** The session's user and sid when it is a signed-in one (a pending sign-in has neither). */
function signedInSession(ctx: Context): Pick<SignedInSession, 'userId' | 'sid'> | undefined {
  const session = ctx.session as Partial<Record<keyof SignedInSession, unknown>> | null;
  const { userId, sid } = session ?? {};
  return typeof userId === 'string' && typeof sid === 'string' ? { userId, sid } : undefined;
}
