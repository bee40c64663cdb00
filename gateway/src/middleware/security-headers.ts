import type { RequestHandler, Response } from 'express';

/**
 * The gateway's own pages and JSON (demo page, health, errors) are same-origin only: scripts
 * and styles from files it serves (no inline code), no framing, no referrer leaks, forms that
 * post (and are redirected) to this origin only. The account page's "Link <name>" is a script
 * POST, then a navigation to the path it answers, so it needs no form to end at a provider.
 */
function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Returns `apply(res)`, which sets the security headers on a response the gateway writes
 * itself, and the middleware that applies it. Enforces: CSP (above), `nosniff`,
 * `Referrer-Policy: same-origin` (no referrer leaves the origin; `no-referrer` would also make
 * a browser send `Origin: null` on the page's own form posts, which the auth-service's
 * same-origin guard must refuse), `X-Frame-Options: DENY` for old browsers, COOP, and HSTS
 * when PUBLIC_URL is https (never on plain http, where browsers ignore it and a wrong
 * configuration would pin the host). Proxied responses keep the services' own headers.
 */
export function securityHeaders(publicUrl: string): {
  apply: (res: Response) => void;
  middleware: RequestHandler;
} {
  const url = new URL(publicUrl);
  const headers: [string, string][] = [
    ['Content-Security-Policy', contentSecurityPolicy()],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'same-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
  ];
  if (url.protocol === 'https:') {
    headers.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  }
  const apply = (res: Response) => {
    for (const [name, value] of headers) res.setHeader(name, value);
  };
  return {
    apply,
    middleware: (req, res, next) => {
      apply(res);
      const requestId = req.headers['x-request-id'];
      if (typeof requestId === 'string') res.setHeader('X-Request-Id', requestId);
      next();
    },
  };
}
