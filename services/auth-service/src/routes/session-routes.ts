import type Router from '@koa/router';
import { createAuthRouter } from './auth-router.js';
import { requireSignedInUser } from '../sessions/require-signed-in-user.js';
import type { UserDirectory } from '../users/user-directory.js';

/**
 * GET /auth/session: the signed-in user, 401 `login_required` otherwise.
 * POST /auth/logout: same-origin only (app.ts's guard on every unsafe /auth request), so a
 * cross-site page cannot sign the visitor out; destroys the session in the store (so a
 * copied cookie is worthless) and clears the cookie. 204 for scripts; 303 to `/` for an HTML
 * form post (a client that prefers HTML).
 */
export function sessionRoutes(options: { directory: UserDirectory }): Router {
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
  router.post('/auth/logout', (ctx) => {
    ctx.session = null;
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
