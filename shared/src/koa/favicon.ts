import type { Middleware } from 'koa';
import { FAVICON_PATHS, FAVICON_SVG } from '../page-look.js';

/**
 * GET /favicon.ico and /favicon.svg: the Gatehouse icon, so a browser's automatic request is
 * answered instead of logged as a 404 on every page load.
 */
export function favicon(): Middleware {
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !FAVICON_PATHS.includes(ctx.path)) {
      return next();
    }
    ctx.state.route = 'favicon';
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = FAVICON_SVG;
  };
}
