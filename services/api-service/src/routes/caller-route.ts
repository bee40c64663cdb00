import type Router from '@koa/router';
import { scopesOf, type TokenVerifier } from '@gatehouse/shared';
import { requireAuth, requireScope, type AuthState } from '@gatehouse/shared/koa';

/** The scope GET /api/caller needs: what a service client is registered with to read. */
export const CALLER_SCOPE = 'api:read';

/**
 * GET /api/caller: an example of a scope-protected route (`api:read`, else 403
 * `insufficient_scope`), the one a service client calls with a client credentials token.
 * Answers who called: `sub` (a user id, or the service client's id), `client_id`, and the
 * token's scopes; it reads nothing a service token lacks (email, name, roles).
 */
export function mountCallerRoute(router: Router, verifier: TokenVerifier): void {
  router.get('/api/caller', requireAuth(verifier), requireScope(CALLER_SCOPE), (ctx) => {
    const auth = (ctx.state as AuthState).auth;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      sub: auth.sub,
      client_id: auth.client_id ?? null,
      scopes: [...scopesOf(auth)].sort(),
    };
  });
}
