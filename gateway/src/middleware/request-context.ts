import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpMetrics, Logger } from '@gatehouse/shared';
import { REQUEST_ID_HEADER, resolveRequestId } from '@gatehouse/shared';

/** Starts the context of one request; `route` is the metrics label when already known. */
export type RequestContext = (
  req: IncomingMessage,
  res: ServerResponse,
  route: string | undefined,
) => void;

/**
 * Runs first for every request, proxied or not. Enforces:
 * - a request id on every request: the client's when well formed and length-bounded, else a
 *   fresh one; it replaces the incoming header, so it is what the upstream receives (the
 *   response carries it too, written by whoever answers);
 * - one access-log line when the response closes: method, path without query string, status
 *   (499 when the client left before a response head), duration in ms, request id;
 * - the request count and latency metrics, labelled by route, never by raw path.
 * Plain node:http, no per-request child logger: every proxied request pays for it.
 */
export function requestContext(options: {
  logger: Logger;
  metrics: HttpMetrics | undefined;
  now: () => number;
}): RequestContext {
  const { metrics, now } = options;
  // The access line holds only the fields built below (no headers, no query string), so
  // redaction, which costs more per line than the rest of the logging, is skipped for it.
  const accessLog = options.logger.child({}, { redact: { paths: [] } });
  return (req, res, route) => {
    const started = now();
    const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    res.once('close', () => {
      const ms = now() - started;
      const status = res.headersSent ? res.statusCode : 499;
      const query = url.indexOf('?');
      const line: Record<string, unknown> = {
        request_id: requestId,
        method,
        path: query === -1 ? url : url.slice(0, query),
        status,
        duration_ms: Math.round(ms * 10) / 10,
      };
      if (!res.writableFinished) line.aborted = true;
      accessLog.info(line, 'request');
      metrics?.observe(method, route ?? ownRoute(req), status, ms / 1000);
    });
  };
}

/** The Express route pattern that answered, or `unmatched` (never the raw path). */
function ownRoute(req: IncomingMessage): string {
  const path = (req as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}
