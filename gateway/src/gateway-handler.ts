import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HttpError } from '@gatehouse/shared';
import type { RequestContext } from './middleware/request-context.js';
import { normaliseTarget } from './route-table/normalise-path.js';
import { upstreamTarget, type RouteTable } from './route-table/route-table.js';

/**
 * The server's request listener. Proxied requests go from here straight to their upstream
 * proxy: Express (prototype swap, router, route matching) is measurable per request and
 * proxying needs none of it. Everything the gateway answers itself, errors included, is the
 * Express app's. Enforces:
 * - the request context (id, access log, metrics) for every request;
 * - only the route table's prefixes are forwarded (`/auth`, the auth-service's RFC 8414
 *   metadata, and `/api` or the ROUTES_FILE routes); everything else, the services' internal
 *   `/healthz`, `/readyz`, `/metrics` included, stays with the gateway;
 * - routes are matched on the normalised path (see `normaliseTarget`), which is also what the
 *   upstream receives; paths a service could normalise out of the route (`/api/../metrics`,
 *   `%2e%2e`, encoded slashes) are refused with 400 before reaching any service;
 * - a method the route does not list is 405 with `Allow`;
 * - `auth: token` routes are refused (fail closed) until policies are enforced here;
 * - forwarded headers are rewritten by `prepare` just before the request leaves, then
 *   `strip_prefix` applies.
 */
export function gatewayHandler(options: {
  context: RequestContext;
  /** The table in force; read per request, so a reload applies to the next request. */
  table: () => RouteTable;
  prepare: (req: IncomingMessage) => void;
  app: RequestListener;
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
}): RequestListener {
  const { context, table, prepare, app, renderError } = options;
  return (req, res) => {
    const url = req.url ?? '/';
    const routes = table();
    const target = normaliseTarget(url);
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
    if (route.methods !== undefined && !route.methods.has(req.method ?? 'GET')) {
      renderError(
        req,
        res,
        new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, {
          headers: { Allow: route.allowHeader },
        }),
      );
      return;
    }
    if (route.spec?.auth === 'token') {
      // Fail closed until the gateway enforces policies (the next step of issue 21).
      renderError(req, res, new HttpError(401, 'unauthorized', 'this route needs a token'));
      return;
    }
    prepare(req);
    req.url = upstreamTarget(route, target);
    route.upstream.proxy(req, res);
  };
}
