import type Router from '@koa/router';
import type { TokenVerifier } from '@gatehouse/shared';
import { requireAuth, type AuthState } from '@gatehouse/shared/koa';

/** GET /api/me: the token's user, straight from its verified claims (no directory lookup). */
export function mountMeRoute(router: Router, verifier: TokenVerifier): void {
  router.get('/api/me', requireAuth(verifier), (ctx) => {
    const { sub, email, name, roles } = (ctx.state as AuthState).auth;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { sub, email: email ?? null, name: name ?? null, roles };
  });
}
