import type Router from '@koa/router';
import type { AuthenticateClient } from '../clients/authenticate-client.js';
import { requireParam } from '../../http/oauth-error.js';
import type { TokenIntrospection } from './introspect-token.js';
import { createAuthRouter } from '../../http/auth-router.js';
import { clientRequest } from '../clients/client-request.js';
import { readOAuthForm } from '../../http/read-oauth-form.js';
import { INTROSPECTION_PATH } from '../../http/endpoints.js';

/**
 * POST /auth/introspect (RFC 7662): form `token`, optional `token_type_hint` (both kinds are
 * searched whatever it says), and a confidential client's credentials (Basic or post; a
 * public client is 401 `invalid_client`). Answers 200 JSON, `Cache-Control: no-store`; what
 * the caller may learn is decided in introspection/introspect-token.ts. Like the token
 * endpoint, an OAuth client's request without a session, let through without an Origin.
 */
export function introspectionRoutes(options: {
  authenticate: AuthenticateClient;
  introspect: TokenIntrospection;
}): Router {
  const router = createAuthRouter();
  router.post(INTROSPECTION_PATH, async (ctx) => {
    const form = await readOAuthForm(ctx);
    const caller = await options.authenticate(clientRequest(ctx, form), { confidential: true });
    const answer = await options.introspect(requireParam(form, 'token'), caller);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = answer;
  });
  return router;
}
