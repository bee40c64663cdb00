import type { Logger } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { AuthenticateClient } from '../clients/authenticate-client.js';
import { requireParam } from '../../http/oauth-error.js';
import type { TokenRevocation } from './revoke-token.js';
import { createAuthRouter } from '../../http/auth-router.js';
import { clientRequest } from '../clients/client-request.js';
import { readOAuthForm } from '../../http/read-oauth-form.js';
import { REVOCATION_PATH } from '../../http/endpoints.js';

/**
 * POST /auth/revoke (RFC 7009): form `token`, optional `token_type_hint`, and the client's
 * credentials (a public client's `client_id`; a confidential one's secret, Basic or post). The
 * client is authenticated as at the token endpoint (401 `invalid_client`); then 200 with an
 * empty body whether or not the token was known (section 2.2). An OAuth client's request:
 * no session cookie is read, so app.ts lets it through without an Origin.
 */
export function revocationRoutes(options: {
  authenticate: AuthenticateClient;
  revoke: TokenRevocation;
}): Router {
  const router = createAuthRouter();
  router.post(REVOCATION_PATH, async (ctx) => {
    const form = await readOAuthForm(ctx);
    const client = await options.authenticate(clientRequest(ctx, form));
    const outcome = await options.revoke(requireParam(form, 'token'), client);
    if (outcome.revoked) {
      (ctx.state.log as Logger).info(
        {
          audit: 'token_revoked',
          kind: outcome.kind,
          sub: outcome.sub,
          sid: outcome.sid,
          jti: outcome.jti,
          client_id: client.clientId,
        },
        'token revoked',
      );
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 200;
    ctx.body = '';
  });
  return router;
}
