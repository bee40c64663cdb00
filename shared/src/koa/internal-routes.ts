import type { Middleware } from 'koa';
import type { ReadinessReport } from '../health.js';
import type { HttpMetrics } from '../metrics.js';

/**
 * `/healthz` (alive), `/readyz` (dependencies usable, 503 when not) and `/metrics`
 * (Prometheus). They live at the root, outside the `/auth` and `/api` prefixes the gateway
 * forwards, so they are reachable only inside the deployment network.
 */
export function internalRoutes(options: {
  readiness?: () => Promise<ReadinessReport>;
  metrics?: HttpMetrics;
}): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz' || ctx.path === '/readyz' || ctx.path === '/metrics') {
      ctx.state.route = ctx.path;
    }
    switch (ctx.path) {
      case '/healthz':
        ctx.body = { status: 'ok' };
        return;
      case '/readyz': {
        const report = options.readiness ? await options.readiness() : { ready: true, checks: {} };
        ctx.status = report.ready ? 200 : 503;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = report;
        return;
      }
      case '/metrics':
        if (!options.metrics) return next();
        ctx.type = options.metrics.registry.contentType;
        ctx.body = await options.metrics.registry.metrics();
        return;
      default:
        return next();
    }
  };
}
