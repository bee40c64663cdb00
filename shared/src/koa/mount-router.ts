import type Koa from 'koa';
import type { Context, Middleware } from 'koa';
import { HttpError } from '../errors/http-error.js';

/** What `mountRouter` needs of an @koa/router Router (structural: shared has no router). */
export interface MountableRouter {
  // `unknown`: a router's middleware is typed with its own context extensions.
  routes(): unknown;
  allowedMethods(options: {
    throw: boolean;
    methodNotAllowed: () => Error;
    notImplemented: () => Error;
  }): unknown;
}

/**
 * Mounts a router so every refusal goes through the one error handler: `routerMiddleware`
 * as app middleware.
 *
 * @example
 * const router = new Router();
 * router.get('/api/me', requireAuth(verifier), me);
 * mountRouter(app, router);
 */
export function mountRouter(app: Koa, router: MountableRouter): void {
  app.use(routerMiddleware(router));
}

/**
 * A router's routes followed by its method check, as one middleware, for a service that picks
 * the router itself (by path) rather than mounting each in turn. Enforces:
 * - a known path asked with another method is 405 `method_not_allowed` with the `Allow`
 *   header RFC 9110 requires, as the usual JSON error body;
 * - a method the router does not know at all (PROPFIND, ...) is the same 405: a client
 *   mistake, so it is logged as a 4xx, not as a server error.
 *
 * @example
 * const serve = routerMiddleware(router);
 * app.use((ctx, next) => (ctx.path.startsWith('/api/') ? serve(ctx, next) : next()));
 */
export function routerMiddleware(router: MountableRouter): Middleware {
  const routes = router.routes() as Middleware;
  // The router's error factories take no arguments; a per-request closure gives them the ctx.
  const checkMethod: Middleware = (ctx, next) => {
    const refuse = () =>
      new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed here`, {
        headers: { Allow: allowedMethods(ctx) },
      });
    const allowed = router.allowedMethods({
      throw: true,
      methodNotAllowed: refuse,
      notImplemented: refuse,
    }) as Middleware;
    return allowed(ctx, next);
  };
  return (ctx, next) => routes(ctx, () => checkMethod(ctx, next));
}

/** The methods of every route whose path matched this request, as an Allow header value. */
function allowedMethods(ctx: Context): string {
  const matched = (ctx as Context & { matched?: { methods: string[] }[] }).matched ?? [];
  return [...new Set(matched.flatMap((layer) => layer.methods))].join(', ');
}
