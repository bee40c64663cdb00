import { crossSiteRefusal, HttpError } from '@gatehouse/shared';
import type { Context, Middleware } from 'koa';

/**
 * Refuses cross-site state-changing requests (CSRF), by shared's `crossSiteRefusal` (the rule
 * the gateway applies to its session routes too). Enforces, for every method but GET, HEAD
 * and OPTIONS:
 * - `Origin` equal to PUBLIC_URL's origin, or, when a browser sends no Origin,
 *   `Sec-Fetch-Site: same-origin`;
 * - otherwise 403 `cross_site_request`. A request with neither header is refused too: every
 *   browser that can carry the session cookie sends at least one of them on a POST;
 * - except requests `exempt` names that carry neither header, i.e. that no browser sent: OAuth
 *   client requests (a CLI sends no Origin), which the routes serve without reading the
 *   session cookie. A browser's cross-site form post to the same endpoint is still refused.
 */
export function requireSameOrigin(
  publicUrl: string,
  exempt: (ctx: Context) => boolean = () => false,
): Middleware {
  const expected = new URL(publicUrl).origin;
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    const fetchSite = ctx.get('Sec-Fetch-Site');
    const refusal = crossSiteRefusal(ctx.method, { origin, 'sec-fetch-site': fetchSite }, expected);
    if (refusal === undefined) return next();
    if (!origin && !fetchSite) {
      if (exempt(ctx)) return next();
      throw new HttpError(403, 'cross_site_request', noBrowserHeaders(expected));
    }
    throw new HttpError(403, 'cross_site_request', refusal);
  };
}

// A request with neither header (curl, a script) is not cross-site, but it cannot show that it
// is not either, so the refusal says what would be accepted rather than blaming an Origin.
function noBrowserHeaders(expected: string): string {
  return (
    `request refused: it sends neither Origin nor Sec-Fetch-Site, so it cannot be told from a ` +
    `cross-site one. This endpoint serves the signed-in browser session of ${expected} (the ` +
    `account page, with its session cookie); from a terminal or a script, sign in with the ` +
    `gatehouse CLI (gatehouse login, then gatehouse token) or use a registered OAuth client`
  );
}
