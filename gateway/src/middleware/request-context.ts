import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpMetrics, Logger } from '@gatehouse/shared';
import { lineWriter, REQUEST_ID_HEADER, resolveRequestId } from '@gatehouse/shared';

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
 *   (499 when the client left before a response head), duration in ms, request id; at debug
 *   for the /healthz and /readyz probes;
 * - the request count and latency metrics, labelled by route, never by raw path.
 * Plain node:http, no per-request child logger: every proxied request pays for it.
 */
export function requestContext(options: {
  logger: Logger;
  metrics: HttpMetrics | undefined;
  now: () => number;
}): RequestContext {
  const { metrics, now } = options;
  // The access line holds only the fields built below (no headers, no query string), so it
  // needs no redaction, and is written as JSON directly: pino's object serialisation was a
  // third of the gateway's CPU per proxied request (bench/routes.mjs, --cpu-prof).
  const accessLog = lineWriter(options.logger);
  // One listener shared by every response, the request's state kept on `res`: a closure and
  // a `once` wrapper per request are measurable at the gateway's request rates.
  function onClose(this: TrackedResponse): void {
    const ms = now() - this[kStarted];
    const status = this.headersSent ? this.statusCode : 499;
    const url = this[kUrl];
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const duration = Math.round(ms * 10) / 10;
    const method = this[kMethod];
    // Health probes arrive every few seconds (compose, load balancers): debug, not info.
    const level = path === '/healthz' || path === '/readyz' ? 'debug' : 'info';
    accessLog(
      level,
      `"request_id":${JSON.stringify(this[kRequestId])},"method":${JSON.stringify(method)},` +
        `"path":${JSON.stringify(path)},"status":${status},"duration_ms":${duration}` +
        (this.writableFinished ? '' : ',"aborted":true'),
      'request',
    );
    metrics?.observe(method, this[kRoute] ?? ownRoute(this.req), status, ms / 1000);
  }
  return (req, res, route) => {
    const tracked = res as TrackedResponse;
    tracked[kStarted] = now();
    const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    tracked[kRequestId] = requestId;
    tracked[kMethod] = req.method ?? 'GET';
    tracked[kUrl] = req.url ?? '/';
    tracked[kRoute] = route;
    // 'close' is emitted once per response, so `on` needs no once-wrapper.
    res.on('close', onClose);
  };
}

const kStarted = Symbol('context.started');
const kRequestId = Symbol('context.requestId');
const kMethod = Symbol('context.method');
const kUrl = Symbol('context.url');
const kRoute = Symbol('context.route');

/** What the context keeps on a response until it closes. */
interface TrackedResponse extends ServerResponse {
  [kStarted]: number;
  [kRequestId]: string;
  [kMethod]: string;
  [kUrl]: string;
  [kRoute]: string | undefined;
}

/** The Express route pattern that answered, or `unmatched` (never the raw path). */
function ownRoute(req: IncomingMessage): string {
  const path = (req as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}
