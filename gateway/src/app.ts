import type { IncomingMessage, RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import {
  type AccessTokenClaims,
  createHttpMetrics,
  createTokenVerifier,
  type TokenVerifier,
  type Env,
  HttpError,
  type HttpMetrics,
  type Logger,
} from '@gatehouse/shared';
import { errorHandler } from '@gatehouse/shared/express';
import type { Config } from './config.js';
import { forwardAuth } from './forward-auth/forward-auth.js';
import { gatewayHandler } from './gateway-handler.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { trustedProxyList } from './proxy/client-address.js';
import {
  ASSERTION_JWKS_PATH,
  loadAssertionKeys,
  type AssertionKeys,
} from './assertion/assertion-keys.js';
import { assertionSigner } from './assertion/sign-assertion.js';
import { routeAuthorizer } from './policy/route-authorizer.js';
import { forwardedHeaders } from './proxy/forwarded-headers.js';
import { webSocketProxy, type WebSocketProxy } from './websocket-proxy.js';
import { createUpstreamProxy } from './proxy/upstream-proxy.js';
import type { RouteSpec } from './route-table/route-spec.js';
import { authServiceRoutes, builtinApiRoute } from './route-table/builtin-routes.js';
import { liveRouteTable } from './route-table/live-route-table.js';
import type { ActiveRoute } from './route-table/route-table.js';
import { demoRoutes } from './routes/demo-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { READINESS_CACHE_MS, sharedReadiness } from './shared-readiness.js';
import { gatewayReadiness } from './upstream-readiness.js';

export interface GatewayDeps {
  logger: Logger;
  /** Used for the upstream readiness checks. */
  fetch?: typeof fetch;
  /** Milliseconds, monotonic; for request durations and the `/readyz` cache. */
  now?: () => number;
  /** Defaults to a fresh registry when METRICS_PORT is set, none when it is 0. */
  metrics?: HttpMetrics;
  /**
   * The validated ROUTES_FILE routes; undefined without ROUTES_FILE: then `/api` goes to
   * API_SERVICE_URL, as the default routes file declares it.
   */
  routes?: readonly RouteSpec[];
  /** Verifies tokens on `auth: token` routes; built from the config on first use when absent. */
  verifier?: Pick<TokenVerifier, 'verify' | 'ready' | 'close'>;
  /** Keys of X-Gatehouse-Assertion; default: one generated now (ASSERTION_KEYS_FILE unset). */
  assertionKeys?: AssertionKeys;
  /** Epoch milliseconds, for the assertion's `iat` and `exp`. */
  clock?: () => number;
  /** The variables `${NAME}` in ROUTES_FILE reads; defaults to `process.env`. */
  env?: Env;
}

export interface Gateway {
  /** The server's request listener: proxies `/auth/*` and the routes, hands the rest to `app`. */
  readonly handler: RequestListener;
  /** The server's `upgrade` listener: WebSockets on routes with `websocket: true`. */
  readonly upgrade: WebSocketProxy['upgrade'];
  /** Sends a close frame both ways on every proxied WebSocket and ends them (shutdown). */
  closeWebSockets(): void;
  /** The Express app answering everything the gateway serves itself, errors included. */
  readonly app: Express;
  /** What the internal metrics port serves; undefined when metrics are off. */
  readonly metrics: HttpMetrics | undefined;
  /** Puts validated routes in force for the next request (hot reload); in-flight ones finish. */
  applyRoutes(specs: readonly RouteSpec[]): void;
  /** Closes the pooled upstream connections. Call after the server has drained. */
  close(): void;
}

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
  const upstream = (
    name: string,
    origins: readonly string[],
    timeoutMs: number,
    strippedPrefix?: string,
  ) =>
    createUpstreamProxy({
      upstream: name,
      origins,
      publicOrigin: config.publicUrl,
      timeoutMs,
      strippedPrefix,
      cooldownMs: config.upstreamCooldownMs,
      now,
      logger,
      renderError: raise,
    });
  const auth = upstream('auth-service', config.upstreams.auth, config.upstreamTimeoutMs);
  const routes = liveRouteTable({
    initial: deps.routes ?? [builtinApiRoute(config.upstreams.api)],
    builtins: authServiceRoutes(auth),
    proxyFor: (spec) =>
      upstream(
        spec.name,
        spec.to,
        spec.timeoutMs ?? config.upstreamTimeoutMs,
        spec.stripPrefix ? spec.path : undefined,
      ),
    retireAfterMs: config.shutdownTimeoutMs,
    logger,
  });
  let tokenVerifier = deps.verifier;
  const verifier = () =>
    (tokenVerifier ??= createTokenVerifier({ ...config.verifier, fetch: deps.fetch, logger }));
  const warmVerifier = () => {
    if (routes.fileRoutes().some((route) => (route.spec?.auth ?? 'public') !== 'public')) {
      // Fetch the keys now, so the first request does not pay for it (retried on demand).
      verifier()
        .ready()
        .catch(() => {});
    }
  };
  warmVerifier();

  const raisedOutside: RequestHandler = (req, _res, next) =>
    next((req as CarriesError)[kGatewayError]);
  app.use(raisedOutside);
  app.use(security.middleware);
  const readiness = gatewayReadiness({
    auth: auth.pool,
    routes: routes.fileRoutes,
    // Without ROUTES_FILE, /readyz reads as it always has: both upstreams decide it.
    routesDecide: deps.routes === undefined,
    fetch: deps.fetch ?? fetch,
    timeoutMs: config.readinessTimeoutMs,
  });
  app.use(healthRoutes(sharedReadiness(readiness, { ttlMs: READINESS_CACHE_MS, now })));
  const assertionKeys = deps.assertionKeys ?? loadAssertionKeys(undefined);
  const assertionJwks = JSON.stringify(assertionKeys.jwks);
  app.get(ASSERTION_JWKS_PATH, (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(assertionJwks);
  });
  const clock = deps.clock ?? Date.now;
  const signAssertion = assertionSigner({
    key: assertionKeys.signing,
    issuer: config.publicUrl,
    now: clock,
  });
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

  const authorize = routeAuthorizer({
    verifier,
    audience: config.audience,
    passAudience: config.passAudience,
    publicUrl: config.publicUrl,
    now: clock,
    logger,
    metrics,
  });
  const assert = (route: ActiveRoute, claims: AccessTokenClaims) =>
    signAssertion(route.name, claims);
  const trustedProxies = trustedProxyList(config.trustedProxies);
  const prepare = forwardedHeaders(config.publicUrl, trustedProxies);
  const handler = gatewayHandler({
    context: requestContext({ logger, metrics, now }),
    table: routes.current,
    authorize,
    assert,
    prepare,
    app,
    renderError: raise,
    forwardAuth: forwardAuth({
      table: routes.current,
      authorize,
      assert,
      trustedProxies,
      renderError: raise,
    }),
  });
  const websockets = webSocketProxy({
    table: routes.current,
    authorize,
    prepare,
    assert,
    timeoutMs: (route) => route.spec?.timeoutMs ?? config.upstreamTimeoutMs,
    idleTimeoutMs: config.webSocketIdleTimeoutMs,
    logger,
    metrics,
  });

  return {
    handler,
    upgrade: websockets.upgrade,
    closeWebSockets: websockets.closeAll,
    app,
    metrics,
    applyRoutes(specs) {
      routes.apply(specs);
      warmVerifier();
    },
    close() {
      auth.pool.close();
      routes.close();
      tokenVerifier?.close();
    },
  };
}
