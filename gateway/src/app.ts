import type { IncomingMessage, RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { createHttpMetrics, HttpError, type HttpMetrics, type Logger } from '@gatehouse/shared';
import { errorHandler } from '@gatehouse/shared/express';
import type { Config } from './config.js';
import { gatewayHandler } from './gateway-handler.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { trustedProxyList } from './proxy/client-address.js';
import { forwardedHeaders } from './proxy/forwarded-headers.js';
import { createUpstreamProxy } from './proxy/upstream-proxy.js';
import { demoRoutes } from './routes/demo-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { READINESS_CACHE_MS, sharedReadiness } from './shared-readiness.js';
import { upstreamReadiness } from './upstream-readiness.js';

export interface GatewayDeps {
  logger: Logger;
  /** Used for the upstream readiness checks. */
  fetch?: typeof fetch;
  /** Milliseconds, monotonic; for request durations and the `/readyz` cache. */
  now?: () => number;
  /** Defaults to a fresh registry when METRICS_PORT is set, none when it is 0. */
  metrics?: HttpMetrics;
}

export interface Gateway {
  /** The server's request listener: proxies `/auth/*` and `/api/*`, hands the rest to `app`. */
  readonly handler: RequestListener;
  /** The Express app answering everything the gateway serves itself, errors included. */
  readonly app: Express;
  /** What the internal metrics port serves; undefined when metrics are off. */
  readonly metrics: HttpMetrics | undefined;
  /** Closes the pooled upstream connections. Call after the server has drained. */
  close(): void;
}

/** The one root-level path the auth-service answers: its RFC 8414 metadata. */
const AUTHORIZATION_SERVER_METADATA = '/.well-known/oauth-authorization-server/auth';

/** An error raised outside Express (a proxy failure, a refused path), for Express to render. */
const kGatewayError = Symbol('gateway.error');
type CarriesError = IncomingMessage & { [kGatewayError]?: HttpError };

/**
 * Builds the gateway: the request listener (context, then straight to a proxy for
 * `/auth/*` and `/api/*`) and the Express app for its own routes, 404 and the one error
 * renderer (shared `errorHandler`, with the security headers).
 */
export function createApp(config: Config, deps: GatewayDeps): Gateway {
  const { logger } = deps;
  const metrics =
    deps.metrics ?? (config.metricsPort === 0 ? undefined : createHttpMetrics('gateway'));
  const security = securityHeaders(config.publicUrl);
  const now = deps.now ?? (() => performance.now());

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const raise = (req: IncomingMessage, res: Parameters<RequestListener>[1], err: HttpError) => {
    (req as CarriesError)[kGatewayError] = err;
    app(req, res);
  };
  const upstream = (name: string, origins: readonly string[]) =>
    createUpstreamProxy({
      upstream: name,
      origins,
      publicOrigin: config.publicUrl,
      timeoutMs: config.upstreamTimeoutMs,
      cooldownMs: config.upstreamCooldownMs,
      now,
      logger,
      renderError: raise,
    });
  const auth = upstream('auth-service', config.upstreams.auth);
  const api = upstream('api-service', config.upstreams.api);

  const raisedOutside: RequestHandler = (req, _res, next) =>
    next((req as CarriesError)[kGatewayError]);
  app.use(raisedOutside);
  app.use(security.middleware);
  const readiness = upstreamReadiness(
    { auth: auth.pool, api: api.pool },
    deps.fetch ?? fetch,
    config.readinessTimeoutMs,
  );
  app.use(healthRoutes(sharedReadiness(readiness, { ttlMs: READINESS_CACHE_MS, now })));
  app.use(demoRoutes({ publicUrl: config.publicUrl, devIdpUrl: config.devIdpUrl }));
  app.use((req, _res, next) => {
    next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
  });
  const renderError = errorHandler(logger);
  const withSecurityHeaders: ErrorRequestHandler = (err, req, res, next) => {
    const requestId = req.headers['x-request-id'];
    if (!res.headersSent) {
      security.apply(res);
      if (typeof requestId === 'string') res.setHeader('X-Request-Id', requestId);
    }
    renderError(err, req, res, next);
  };
  app.use(withSecurityHeaders);

  const handler = gatewayHandler({
    context: requestContext({ logger, metrics, now }),
    routes: [
      { prefix: '/auth', route: '/auth/*', proxy: auth.proxy },
      { prefix: '/api', route: '/api/*', proxy: api.proxy },
      // RFC 8414 section 3.1 puts the metadata of the issuer PUBLIC_URL/auth at the root.
      {
        prefix: AUTHORIZATION_SERVER_METADATA,
        route: AUTHORIZATION_SERVER_METADATA,
        exact: true,
        proxy: auth.proxy,
      },
    ],
    prepare: forwardedHeaders(config.publicUrl, trustedProxyList(config.trustedProxies)),
    app,
    renderError: raise,
  });

  return {
    handler,
    app,
    metrics,
    close() {
      auth.pool.close();
      api.pool.close();
    },
  };
}
