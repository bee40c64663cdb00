import type { Logger } from '@gatehouse/shared';
import type Router from '@koa/router';
import { WEB_CLIENT_ID } from '../clients/web-client.js';
import { createAuthRouter } from '../../http/auth-router.js';
import type { User } from '../../users/user.js';
import { requireSignedInUser } from '../../sessions/require-signed-in-user.js';
import type { AccessTokenIssuer } from '../../tokens/access-token-issuer.js';
import type { TokenGrants } from './token-grants.js';
import { isFormRequest } from '@gatehouse/shared/koa';
import { clientRequest } from '../clients/client-request.js';
import { readOAuthForm } from '../../http/read-oauth-form.js';
import { requestSource } from '../../http/request-source.js';
import { TOKEN_PATH } from '../../http/endpoints.js';

/**
 * POST /auth/token, one endpoint for two callers:
 * - a form-encoded body (`application/x-www-form-urlencoded`) is an OAuth client's: it goes
 *   to the grant named by `grant_type` (grants/token-grants.ts) and never reads the session
 *   cookie, which is why app.ts lets it through without an Origin; errors are OAuth errors;
 * - anything else is the browser session's, as below.
 * The browser session's access token. Enforces:
 * - same-origin requests only (403 `cross_site_request`), so another site cannot mint tokens
 *   with the visitor's cookie: app.ts's guard on every unsafe /auth request does it;
 * - a live session of an enabled user (401 `login_required`);
 * - roles and scope read from the directory now, not copied from sign-in time: the web page
 *   is first-party, so the token carries everything the user may do (`api` and one scope per
 *   role, tokens/granted-scope.ts), and the response names that `scope`, as the JWT does;
 * - `client_id` is the browser session's client, `gatehouse-web` (RFC 9068);
 * - `Cache-Control: no-store` and `Pragma: no-cache` on the token response (RFC 6749 5.1).
 */
export function tokenRoutes(options: {
  directory: { findById(id: string): Promise<User | undefined> };
  issue: AccessTokenIssuer;
  grants: TokenGrants;
}): Router {
  const { directory, issue, grants } = options;
  const router = createAuthRouter();
  router.post(TOKEN_PATH, async (ctx) => {
    if (isFormRequest(ctx)) {
      const form = await readOAuthForm(ctx);
      const body = await grants.exchange(clientRequest(ctx, form), requestSource(ctx));
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Pragma', 'no-cache');
      ctx.body = body;
      return;
    }
    const { user, sid } = await requireSignedInUser(ctx, directory);
    const issued = await issue({ user, sid, clientId: WEB_CLIENT_ID, registered: 'first-party' });
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    ctx.body = {
      access_token: issued.token,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.scope,
    };
    (ctx.state.log as Logger).info({ sub: user.id }, 'access token issued');
  });
  return router;
}
