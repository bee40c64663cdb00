import type Router from '@koa/router';
import { routerMiddleware } from '@gatehouse/shared/koa';
import type { Middleware } from 'koa';

/**
 * The areas' routers as one middleware that hands each request to the one router serving its
 * path, instead of trying every router in turn. Enforces:
 * - a path is served by one router only: two routers naming the same path (or a path that
 *   another router's pattern matches) fail here, at start-up, rather than in whichever order
 *   they happen to be tried;
 * - the chosen router matches exactly as it would on its own (strict, case-sensitive
 *   routers: see auth-router.ts), with its 405 `method_not_allowed` and `Allow` header for
 *   another method (routerMiddleware);
 * - a path no router serves goes on to the 404 of the error handler.
 * Fixed paths are found with one map lookup; only patterns (`/auth/admin/users/:id/disable`)
 * are tested in turn, and only when no fixed path is equal.
 *
 * @example
 * app.use(dispatchByPath([signInRouter, tokenRouter, accountRouter]));
 */
export function dispatchByPath(routers: readonly Router[]): Middleware {
  const fixed = new Map<string, Middleware>();
  const patterns: { layer: Router['stack'][number]; serve: Middleware }[] = [];
  for (const router of routers) {
    // A fixed path is looked up as the literal string, which is all a strict, case-sensitive
    // router matches for it (auth-router.ts); any other router could match more.
    if (router.opts.strict !== true || router.opts.sensitive !== true) {
      throw new Error(
        'dispatchByPath: routers must be strict and case-sensitive (createAuthRouter)',
      );
    }
    const serve = routerMiddleware(router);
    for (const layer of router.stack) {
      if (typeof layer.path !== 'string') {
        throw new Error(
          `dispatchByPath: ${String(layer.path)} is not a path; name paths as strings`,
        );
      }
      if (layer.paramNames.length > 0) {
        patterns.push({ layer, serve });
        continue;
      }
      const owner = fixed.get(layer.path);
      if (owner !== undefined && owner !== serve) throw twoRouters(layer.path);
      fixed.set(layer.path, serve);
    }
  }
  for (const [path, serve] of fixed) {
    if (patterns.some((p) => p.serve !== serve && p.layer.match(path))) throw twoRouters(path);
  }

  return (ctx, next) => {
    const serve = fixed.get(ctx.path) ?? patterns.find((p) => p.layer.match(ctx.path))?.serve;
    return serve ? serve(ctx, next) : next();
  };
}

function twoRouters(path: string): Error {
  return new Error(`dispatchByPath: two routers serve ${path}; each path belongs to one router`);
}
