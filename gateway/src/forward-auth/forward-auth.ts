import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { BlockList } from 'node:net';
import {
  type AccessTokenClaims,
  bearerChallenge,
  DEFAULT_REALM,
  HttpError,
} from '@gatehouse/shared';
import { authorizationError, type RouteAuthorizer } from '../policy/route-authorizer.js';
import { sendRedirect, SignInRedirect } from '../policy/sign-in-redirect.js';
import { setIdentityHeaders } from '../proxy/identity-headers.js';
import { normaliseTarget } from '../route-table/normalise-path.js';
import type { ActiveRoute, RouteTable } from '../route-table/route-table.js';
import { originalRequest, type OriginalRequest } from './original-request.js';

/** GET /auth/verify: forward auth for another proxy in front (DESIGN.md "Public surface"). */
export const FORWARD_AUTH_PATH = '/auth/verify';

/**
 * Where a 401 for nginx names the sign-in URL (nginx `auth_request_set` copies it; see
 * docs/forward-auth.md), since `auth_request` cannot pass a 302 on.
 */
export const SIGN_IN_HEADER = 'X-Gatehouse-Sign-In';

/**
 * Every identity header, empty: a 200 names all of them, so a proxy that copies a header the
 * answer lacks never passes on something else (Caddy 2.6 `copy_headers` sends its own
 * unresolved placeholder text; nginx sends no header for an empty value).
 */
const NO_IDENTITY: IncomingHttpHeaders = {
  'x-gatehouse-sub': '',
  'x-gatehouse-email': '',
  'x-gatehouse-roles': '',
  'x-gatehouse-scope': '',
  'x-gatehouse-client': '',
  'x-gatehouse-assertion': '',
};

/**
 * Answers another proxy's question "may this request through, and as whom?" with the routes
 * file's policies, on the warm path without a call to the auth-service (the verifier's
 * cache). Enforces:
 * - the original request only from a proxy in TRUSTED_PROXIES (original-request.ts);
 * - the route named by `?route=NAME`, else the one the original URI matches; none, a path the
 *   gateway would refuse (dot segments, encoded separators), or a method the route does not
 *   list: 403, failing closed;
 * - the route's policy exactly as for proxied requests (`authorize`): 200 with the
 *   `X-Gatehouse-*` identity and the route's assertion for the proxy to copy upstream (every
 *   one of them, empty when the caller has none or the route is public), 401
 *   with `WWW-Authenticate`, 403 when `allow` refuses, 503 while keys are unavailable;
 * - a browser navigation without a usable pass: 302 to `/auth/pass` back to the original URL
 *   (X-Forwarded-* proxies pass it on), or for nginx a 401 with `X-Gatehouse-Sign-In`;
 * - never cached (`Cache-Control: no-store`).
 */
export function forwardAuth(options: {
  table: () => RouteTable;
  authorize: RouteAuthorizer;
  assert: (route: ActiveRoute, claims: AccessTokenClaims) => string | undefined;
  trustedProxies: BlockList | undefined;
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { table, authorize, assert, trustedProxies, renderError } = options;
  const refuse = (req: IncomingMessage, res: ServerResponse, description: string) =>
    renderError(req, res, new HttpError(403, 'access_denied', description));

  return (req, res) => {
    const original = originalRequest(req, trustedProxies);
    const named = new URL(req.url ?? '/', 'http://gateway.invalid').searchParams.get('route');
    const target = original === undefined ? undefined : normaliseTarget(original.uri);
    if (original !== undefined && target === undefined) {
      refuse(req, res, 'the forwarded path must not contain dot segments or encoded separators');
      return;
    }
    const routes = table();
    const route =
      named !== null
        ? routes.byName(named)
        : target === undefined
          ? undefined
          : routes.match(target.path);
    if (route === undefined) {
      refuse(req, res, noRoute(named, original));
      return;
    }
    const method = original?.method ?? 'GET';
    if (route.methods !== undefined && !route.methods.has(method)) {
      refuse(req, res, `${method} is not allowed on route ${route.name}`);
      return;
    }
    const uri = target === undefined ? '/' : target.path + target.query;
    authorize({ method, url: uri, headers: req.headers }, route).then(
      (claims) => {
        const headers: IncomingHttpHeaders = { ...NO_IDENTITY };
        if (claims !== undefined) setIdentityHeaders(headers, claims, assert(route, claims));
        res.writeHead(200, { ...headers, 'Cache-Control': 'no-store', 'Content-Length': '0' });
        res.end();
      },
      (err: unknown) => {
        if (!(err instanceof SignInRedirect)) {
          renderError(req, res, authorizationError(err));
        } else if (original?.style === 'forwarded') {
          sendRedirect(res, err.location);
        } else {
          renderError(
            req,
            res,
            new HttpError(401, 'unauthorized', 'sign in first', {
              headers: {
                [SIGN_IN_HEADER]: err.location,
                'WWW-Authenticate': bearerChallenge({ realm: DEFAULT_REALM }),
              },
            }),
          );
        }
      },
    );
  };
}

function noRoute(named: string | null, original: OriginalRequest | undefined): string {
  if (named !== null) return `no route is named ${named}`;
  if (original === undefined) {
    return 'name the route with ?route=NAME, or send X-Forwarded-Uri or X-Original-URI from a proxy in TRUSTED_PROXIES';
  }
  return 'no route matches the forwarded path';
}
