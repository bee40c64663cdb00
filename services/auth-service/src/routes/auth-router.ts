import { HttpError } from '@gatehouse/shared';
import Router from '@koa/router';
import type Koa from 'koa';
import type { Context, Middleware } from 'koa';

/**
 * A router for `/auth/...` routes. Strict and case-sensitive: `/auth/token/` and `/AUTH/token`
 * are 404s, never `/auth/token`, so a route answers on exactly the path the rate limiter
 * and the logs name.
 */
export function createAuthRouter(): Router {
  return new Router({ strict: true, sensitive: true });
}

/**
 * Mounts `router` on `app`. A known path asked with another method is thrown as 405
 * `method_not_allowed` (an unknown method as 501 `not_implemented`), so the error handler
 * renders it as the usual JSON body, with the `Allow` header listing the path's methods.
 */
export function mountRouter(app: Koa, router: Router): void {
  app.use(router.routes());
  // The router's error factories take no arguments; a per-request closure gives them the ctx.
  app.use((ctx, next) => {
    const refuse = router.allowedMethods({
      throw: true,
      methodNotAllowed: () =>
        new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed here`, {
          headers: { Allow: allowedMethods(ctx) },
        }),
      notImplemented: () =>
        new HttpError(501, 'not_implemented', `${ctx.method} is not supported`, {
          headers: allowedMethods(ctx) ? { Allow: allowedMethods(ctx) } : {},
        }),
    }) as Middleware;
    return refuse(ctx, next);
  });
}

/** The methods of every route whose path matched this request, as an Allow header value. */
function allowedMethods(ctx: Context): string {
  const matched = (ctx as Context & { matched?: { methods: string[] }[] }).matched ?? [];
  return [...new Set(matched.flatMap((layer) => layer.methods))].join(', ');
}
