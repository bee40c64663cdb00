import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { HttpMetrics } from '../metrics.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../request-id.js';

const PROBES = new Set(['/healthz', '/readyz']);

/** What `requestContext` puts on `ctx.state` for every later middleware. */
export interface RequestState {
  requestId: string;
  log: Logger;
}

/**
 * First middleware of every Koa service. Enforces:
 * - a request id on every request (the gateway's when well formed), echoed in the response;
 * - a per-request child logger carrying that id;
 * - one access-log line per request (method, path without query, status, duration), at
 *   `accessLogLevel` (default debug: the gateway already logs every request at info, so a
 *   service behind it would only repeat it; LOG_LEVEL=debug shows both), and at debug for
 *   the /healthz and /readyz probes;
 * - the request count and latency metrics, labelled by matched route, never the raw path.
 */
export function requestContext(options: {
  logger: Logger;
  metrics?: HttpMetrics;
  accessLogLevel?: 'info' | 'debug';
}): Middleware {
  const { logger, metrics } = options;
  const accessLogLevel = options.accessLogLevel ?? 'debug';
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const requestId = resolveRequestId(ctx.get(REQUEST_ID_HEADER) || undefined);
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ request_id: requestId });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Label by pattern (router's matched route, or one an internal route set), never the raw
      // path, so a scan of random URLs cannot blow up metric cardinality.
      const route =
        (ctx as { _matchedRoute?: string })._matchedRoute ??
        (ctx.state.route as string | undefined) ??
        'unmatched';
      metrics?.observe(ctx.method, route, ctx.status, seconds);
      // Health probes arrive every few seconds from compose and the gateway: debug, not info.
      const level = PROBES.has(route) ? 'debug' : accessLogLevel;
      (ctx.state.log as Logger)[level](
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          duration_ms: Math.round(seconds * 1e4) / 10,
        },
        'request',
      );
    }
  };
}
