import type { Middleware } from 'koa';
import { framingHeaders } from '../http/framing-headers.js';

/**
 * Keeps every HTML page of a Koa service out of frames (clickjacking). Enforces, on the way
 * out, whatever wrote the page (a route, the error renderer, a library such as oidc-provider):
 * `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`, merged into a CSP the page already
 * has (rules in `framingHeaders`). Put it right after `requestContext`, before `errorHandler`,
 * so that error pages pass through it too.
 *
 * @example
 * app.use(requestContext({ logger }));
 * app.use(denyFraming());
 * app.use(errorHandler({ html: renderErrorPage }));
 */
export function denyFraming(): Middleware {
  return async (ctx, next) => {
    await next();
    const headers = framingHeaders({
      contentType: ctx.response.get('Content-Type'),
      frameOptions: ctx.response.get('X-Frame-Options'),
      contentSecurityPolicy: joined(ctx.response.headers['content-security-policy']),
    });
    if (headers) ctx.set(headers);
  };
}

function joined(value: string | string[] | number | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value?.toString();
}
