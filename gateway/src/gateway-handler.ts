import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type AccessTokenClaims, HttpError } from '@gatehouse/shared';
import type { RequestContext } from './middleware/request-context.js';
import { corsPreflightMethod } from './policy/cors-preflight.js';
import { authorizationError, type RouteAuthorizer } from './policy/route-authorizer.js';
import { FORWARD_AUTH_PATH } from './forward-auth/forward-auth.js';
import { sendRedirect, SignInRedirect } from './policy/sign-in-redirect.js';
import { setIdentityHeaders } from './proxy/identity-headers.js';
import { normaliseTarget } from './route-table/normalise-path.js';
import type { NormalisedTarget } from './route-table/normalise-path.js';
import { type ActiveRoute, upstreamTarget, type RouteTable } from './route-table/route-table.js';

/**
 * The server's request listener. Proxied requests go from here straight to their upstream
 * proxy: Express (prototype swap, router, route matching) is measurable per request and
 * proxying needs none of it. Everything the gateway answers itself, errors included, is the
 * Express app's. Enforces:
 * - the request context (id, access log, metrics) for every request;
 * - GET /auth/verify is the gateway's own (forward auth for another proxy), not forwarded;
 * - only the route table's prefixes are forwarded (`/auth`, the auth-service's RFC 8414
 *   metadata, and `/api` or the ROUTES_FILE routes); everything else, the services' internal
 *   `/healthz`, `/readyz`, `/metrics` included, stays with the gateway;
 * - routes are matched on the normalised path (see `normaliseTarget`), which is also what the
 *   upstream receives; paths a service could normalise out of the route (`/api/../metrics`,
 *   `%2e%2e`, encoded slashes) are refused with 400 before reaching any service;
 * - a method the route does not list is 405 with `Allow` (for a CORS preflight: the method
 *   it asks about);
 * - on `auth: token` and `auth: session` routes, `authorize` (credential and `allow`) decides
 *   before anything is forwarded, and a browser without a usable pass is sent through sign-in
 *   (302); except a CORS preflight, which carries no credentials and is forwarded without
 *   identity (`corsPreflightMethod`); proxying knows nothing of policies;
 * - forwarded headers are rewritten by `prepare` just before the request leaves (client
 *   `X-Gatehouse-*` dropped there), then the verified caller's identity is set (`assert`
 *   signs the assertion for the route) and `strip_prefix` applies.
 */
export function gatewayHandler(options: {
  context: RequestContext;
  /** The table in force; read per request, so a reload applies to the next request. */
  table: () => RouteTable;
  prepare: (req: IncomingMessage) => void;
  authorize: RouteAuthorizer;
  /** The signed identity for `route`'s upstream, or undefined when none is signed. */
  assert?: (route: ActiveRoute, claims: AccessTokenClaims) => string | undefined;
  app: RequestListener;
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
  /** Answers GET /auth/verify (forward-auth.ts) instead of the auth-service. */
  forwardAuth?: RequestListener;
}): RequestListener {
  const { context, table, prepare, authorize, assert, app, renderError, forwardAuth } = options;
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    route: ActiveRoute,
    target: NormalisedTarget,
    claims: AccessTokenClaims | undefined,
  ) => {
    prepare(req);
    if (claims !== undefined) setIdentityHeaders(req.headers, claims, assert?.(route, claims));
    req.url = upstreamTarget(route, target);
    route.upstream.proxy(req, res);
  };
  const refuse = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    if (err instanceof SignInRedirect) {
      sendRedirect(res, err.location);
      return;
    }
    renderError(req, res, authorizationError(err));
  };
  return (req, res) => {
    const url = req.url ?? '/';
    const routes = table();
    const target = normaliseTarget(url);
    if (forwardAuth !== undefined && target?.path === FORWARD_AUTH_PATH) {
      context(req, res, FORWARD_AUTH_PATH);
      forwardAuth(req, res);
      return;
    }
    const route = routes.match(target === undefined ? url : target.path);
    context(req, res, route?.label);
    if (route === undefined) {
      app(req, res);
      return;
    }
    if (target === undefined) {
      renderError(
        req,
        res,
        new HttpError(
          400,
          'invalid_request',
          'the path must not contain dot segments, encoded separators or backslashes',
        ),
      );
      return;
    }
    const preflight = corsPreflightMethod(req);
    if (route.methods !== undefined && !route.methods.has(preflight ?? req.method ?? 'GET')) {
      renderError(
        req,
        res,
        new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, {
          headers: { Allow: route.allowHeader },
        }),
      );
      return;
    }
    const auth = route.spec?.auth;
    if ((auth === 'token' || auth === 'session') && preflight === undefined) {
      authorize(req, route).then(
        (claims) => forward(req, res, route, target, claims),
        (err: unknown) => refuse(req, res, err),
      );
      return;
    }
    forward(req, res, route, target, undefined);
  };
}
