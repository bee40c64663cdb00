import Router from '@koa/router';

/**
 * A router for `/auth/...` routes. Strict and case-sensitive: `/auth/token/` and `/AUTH/token`
 * are 404s, never `/auth/token`, so a route answers on exactly the path the rate limiter
 * and the logs name. app.ts hands each request to the one router serving its path
 * (dispatch-by-path.ts), which relies on both.
 */
export function createAuthRouter(): Router {
  return new Router({ strict: true, sensitive: true });
}
