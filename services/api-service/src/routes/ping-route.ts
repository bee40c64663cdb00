import type Router from '@koa/router';

/**
 * GET /api/ping: unauthenticated liveness through the gateway, and the baseline the
 * benchmark compares `/api/me` against, so it does as little as a route can.
 */
export function mountPingRoute(router: Router): void {
  router.get('/api/ping', (ctx) => {
    ctx.body = { pong: true };
  });
}
