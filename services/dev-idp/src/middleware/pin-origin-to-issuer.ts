import type { Middleware } from 'koa';

/**
 * Makes every URL oidc-provider builds (discovery endpoints, the sign-in redirect, the
 * resume URL) start with the issuer, whatever Host the request came in on. Enforces:
 * - one public origin: in compose the browser uses http://localhost:4003 while the
 *   auth-service fetches discovery from http://dev-idp:4003, and the authorization endpoint
 *   it reads there must still be the one the browser can reach;
 * - no Host-header influence on published URLs.
 * Cookie security still follows the real connection (`ctx.secure`).
 */
export function pinOriginToIssuer(issuer: string): Middleware {
  const origin = new URL(issuer).origin;
  return async (ctx, next) => {
    // oidc-provider resolves its URLs against `ctx.href`, which Koa builds from Host.
    const request = ctx.request;
    Object.defineProperty(request, 'href', {
      get: () => `${origin}${request.originalUrl}`,
      configurable: true,
    });
    await next();
  };
}
