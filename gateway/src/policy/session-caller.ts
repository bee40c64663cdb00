import type { IncomingHttpHeaders } from 'node:http';
import {
  type AccessTokenClaims,
  authenticateBearer,
  bearerChallenge,
  crossSiteRefusal,
  DEFAULT_REALM,
  gatewayPassCookie,
  HttpError,
  isTokenError,
  type TokenErrorReason,
  type TokenVerifier,
} from '@gatehouse/shared';
import { normaliseTarget } from '../route-table/normalise-path.js';
import { isNavigation } from './navigation.js';
import { passCookieValue } from '../proxy/pass-cookie.js';
import { passUrl, SignInRedirect } from './sign-in-redirect.js';

/** What the session check reads of a request (forward auth passes the original's). */
export interface CallerRequest {
  readonly method?: string | undefined;
  /** The request target, for the way back after sign-in. */
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

/**
 * The caller of an `auth: session` request that has no `Authorization` header: the gateway
 * pass cookie (shared gateway-pass.ts). Enforces:
 * - the pass verified like a Bearer token (signature, `iss`, the gateway's own `aud`, expiry,
 *   the revocation feed's sessions and users), with the same 401/503 answers;
 * - no pass, or one that expired, was revoked or names a withdrawn key, on a browser
 *   navigation: `SignInRedirect` through `/auth/pass` back to this URL; on anything else,
 *   and for a pass that a new one would not mend (another issuer or audience, a bad
 *   signature: a misconfiguration or a forgery, which would otherwise loop), the 401;
 * - a navigation whose pass is past half its lifetime: `SignInRedirect` too, so a browser in
 *   use keeps a pass and the app's own scripts rarely meet an expired one;
 * - state-changing requests carried by the cookie only from PUBLIC_URL's origin (403
 *   `cross_site_request`), as the auth-service requires under `/auth`; a WebSocket upgrade
 *   carried by it (a GET, but a two-way channel) only with that `Origin`, which browsers
 *   always send on one (cross-site WebSocket hijacking).
 */
export function sessionCaller(options: {
  /** Narrowed to the pass audience (audience-verifier.ts). */
  verifier: Pick<TokenVerifier, 'verify'>;
  publicUrl: string;
  /** Epoch milliseconds. */
  now: () => number;
}): (req: CallerRequest) => Promise<AccessTokenClaims> {
  const { verifier, publicUrl, now } = options;
  const cookie = gatewayPassCookie(publicUrl);
  const origin = new URL(publicUrl).origin;
  const signIn = (req: CallerRequest, rule: string) => {
    const target = normaliseTarget(req.url ?? '/');
    return new SignInRedirect(
      passUrl(publicUrl, target === undefined ? '/' : target.path + target.query),
      rule,
    );
  };
  return async (req) => {
    const method = req.method ?? 'GET';
    const navigation = isNavigation(method, req.headers);
    const pass = passCookieValue(req.headers, cookie);
    if (pass === undefined) {
      if (navigation) throw signIn(req, 'no-pass');
      throw new HttpError(
        401,
        'unauthorized',
        'sign in first: send a Bearer token, or open the page in a browser',
        { headers: { 'WWW-Authenticate': bearerChallenge({ realm: DEFAULT_REALM }) } },
      );
    }
    let claims: AccessTokenClaims;
    try {
      claims = await authenticateBearer(verifier, `Bearer ${pass}`, { realm: DEFAULT_REALM });
    } catch (err) {
      if (navigation && renewable(err)) throw signIn(req, 'pass-invalid');
      throw err;
    }
    const refusal =
      req.headers.upgrade === undefined
        ? crossSiteRefusal(method, req.headers, origin)
        : webSocketOriginRefusal(req.headers, origin);
    if (refusal !== undefined) throw new HttpError(403, 'cross_site_request', refusal);
    if (navigation && now() / 1000 >= (claims.iat + claims.exp) / 2) {
      throw signIn(req, 'pass-renew');
    }
    return claims;
  };
}

function webSocketOriginRefusal(headers: IncomingHttpHeaders, origin: string): string | undefined {
  return headers.origin === origin
    ? undefined
    : `cross-site WebSocket refused: the Origin must be ${origin}`;
}

/** Refusals a freshly minted pass mends; any other would send the browser round in a loop. */
const RENEWABLE = new Set<TokenErrorReason>(['expired', 'revoked', 'unknown_kid']);

function renewable(err: unknown): boolean {
  return (
    err instanceof HttpError &&
    err.status === 401 &&
    isTokenError(err.cause) &&
    RENEWABLE.has(err.cause.reason)
  );
}
