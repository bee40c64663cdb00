import Router from '@koa/router';

// Mounting (405 with Allow, as JSON) is shared with every Koa service.
export { mountRouter } from '@gatehouse/shared/koa';

/**
 * A router for `/auth/...` routes. Strict and case-sensitive: `/auth/token/` and `/AUTH/token`
 * are 404s, never `/auth/token`, so a route answers on exactly the path the rate limiter
 * and the logs name.
 */
export function createAuthRouter(): Router {
  return new Router({ strict: true, sensitive: true });
}
