import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HttpError } from '@gatehouse/shared';
import type { RequestContext } from './middleware/request-context.js';
import { isForwardablePath, matchPrefix } from './proxy/forwardable-path.js';

export interface ProxyRoute {
  /** Public path prefix, forwarded unchanged, e.g. `/auth`. */
  readonly prefix: string;
  /** Only the prefix itself (with or without a query) matches, nothing under it. */
  readonly exact?: boolean;
  /** Metrics label, e.g. `/auth/*`. */
  readonly route: string;
  readonly proxy: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The server's request listener. Proxied requests go from here straight to their upstream
 * proxy: Express (prototype swap, router, route matching) is measurable per request and
 * proxying needs none of it. Everything the gateway answers itself, errors included, is the
 * Express app's. Enforces:
 * - the request context (id, access log, metrics) for every request;
 * - only `/auth` and `/api` (and what is under them) and the auth-service's RFC 8414 metadata
 *   (that exact path) are forwarded; everything else, the services' internal `/healthz`,
 *   `/readyz`, `/metrics` included, stays with the gateway;
 * - paths a service could normalise out of its prefix (`/auth/../metrics`, `%2e%2e`,
 *   encoded slashes) are refused with 400 before reaching any service;
 * - forwarded headers are rewritten by `prepare` just before the request leaves.
 */
export function gatewayHandler(options: {
  context: RequestContext;
  routes: readonly ProxyRoute[];
  prepare: (req: IncomingMessage) => void;
  app: RequestListener;
  renderError: (req: IncomingMessage, res: ServerResponse, err: HttpError) => void;
}): RequestListener {
  const { context, routes, prepare, app, renderError } = options;
  return (req, res) => {
    const url = req.url ?? '/';
    const route = matchPrefix(url, routes);
    context(req, res, route?.route);
    if (route === undefined) {
      app(req, res);
      return;
    }
    if (!isForwardablePath(url)) {
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
    prepare(req);
    route.proxy(req, res);
  };
}
