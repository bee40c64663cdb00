import type Router from '@koa/router';
import type { TokenVerifier } from '@gatehouse/shared';
import { requireAuth, requireRole } from '@gatehouse/shared/koa';

/**
 * GET /api/admin/stats: an example of a role-protected route (role `admin`, else 403
 * `insufficient_scope`), reporting how this instance's token verification is doing.
 */
export function mountAdminRoutes(
  router: Router,
  verifier: TokenVerifier,
  startedAt: number,
  now: () => number,
): void {
  router.get('/api/admin/stats', requireAuth(verifier), requireRole('admin'), (ctx) => {
    const stats = verifier.stats();
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      uptime_seconds: Math.floor((now() - startedAt) / 1000),
      jwks: {
        keys: stats.keys,
        fetches: stats.jwksFetches,
        failures: stats.jwksFailures,
        fetched_at:
          stats.jwksFetchedAt === undefined ? null : new Date(stats.jwksFetchedAt).toISOString(),
      },
      cached_tokens: stats.cachedTokens,
    };
  });
}
