import type { IncomingMessage } from 'node:http';

/**
 * The method a CORS preflight asks about, or undefined when `req` is not one. A preflight is
 * `OPTIONS` with `Origin` and `Access-Control-Request-Method` (Fetch standard, CORS protocol).
 * Browsers never send credentials on a preflight, so a route's token policy cannot apply to
 * it: the gateway forwards it without identity for the upstream to answer with its CORS
 * headers, and judges the real request that follows, against the method it asked about
 * where the route lists methods.
 */
export function corsPreflightMethod(req: IncomingMessage): string | undefined {
  if (req.method !== 'OPTIONS' || req.headers.origin === undefined) return undefined;
  const asked = req.headers['access-control-request-method'];
  return asked === undefined || asked === '' ? undefined : asked;
}
