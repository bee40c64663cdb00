import Router from '@koa/router';
import {
  createReadiness,
  type HttpMetrics,
  type Logger,
  type TokenVerifier,
} from '@gatehouse/shared';
import {
  denyFraming,
  errorHandler,
  internalRoutes,
  mountRouter,
  requestContext,
} from '@gatehouse/shared/koa';
import Koa from 'koa';
import type { Config } from './config.js';
import { mountAdminRoutes } from './routes/admin-routes.js';
import { mountCallerRoute } from './routes/caller-route.js';
import { mountMeRoute } from './routes/me-route.js';
import { mountPingRoute } from './routes/ping-route.js';

export interface AppDeps {
  logger: Logger;
  /** One per process: it owns the JWKS cache and the verified-token cache. */
  verifier: TokenVerifier;
  metrics?: HttpMetrics;
  now?: () => number;
}

/**
 * The api-service: stateless, every `/api` route but `/api/ping` behind a Bearer access token
 * verified against the auth-service's JWKS. Internal `/healthz`, `/readyz` (ready once the
 * JWKS has been obtained) and `/metrics` sit at the root, outside what the gateway forwards.
 */
export function createApp(config: Config, deps: AppDeps): Koa {
  const { logger, verifier, metrics } = deps;
  const now = deps.now ?? Date.now;
  // Only the gateway's hop of X-Forwarded-For counts: it overwrites the header with the
  // client's socket address, so anything a client adds before it is ignored.
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 });
  app.use(requestContext({ logger, metrics }));
  // No page today; any HTML a route ever answers stays out of frames, as in every service.
  app.use(denyFraming());
  app.use(errorHandler());
  app.use(
    internalRoutes({
      metrics,
      // Under the gateway's READINESS_TIMEOUT_MS (1 s), so the gateway sees this service's
      // own reason rather than its timeout.
      // The revocation feed is reported, never a reason to stop serving: without it tokens
      // are judged by the last revocations received.
      readiness: createReadiness({ jwks: () => verifier.ready() }, 800, () => {
        const revocations = verifier.revocations();
        return revocations ? { revocations } : {};
      }),
    }),
  );
  const router = new Router();
  mountPingRoute(router);
  mountMeRoute(router, verifier);
  mountAdminRoutes(router, verifier, now(), now);
  mountCallerRoute(router, verifier);
  mountRouter(app, router);
  return app;
}
