import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse } from '../errors/error-response.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../request-id.js';

/**
 * Writes `err` as every Gatehouse service answers: its status and headers (`WWW-Authenticate`,
 * `Retry-After`), `Cache-Control: no-store`, and JSON `{error, error_description, request_id}`
 * (a 5xx never described). The request id is the one already on the response, else the
 * client's `X-Request-Id` when well formed, else a new one, and is echoed in `X-Request-Id`.
 * When headers are already out the connection is cut, the only honest signal left.
 *
 * @example
 * try {
 *   const claims = await verifyRequest(req);
 * } catch (err) {
 *   writeError(res, err, req);
 * }
 */
export function writeError(res: ServerResponse, err: unknown, req: IncomingMessage): void {
  const requestId =
    (res.getHeader(REQUEST_ID_HEADER) as string | undefined) ??
    resolveRequestId(req.headers[REQUEST_ID_HEADER]);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const response = toErrorResponse(err, requestId);
  res.writeHead(response.status, {
    ...response.headers,
    'Cache-Control': 'no-store',
    'Content-Type': 'application/json; charset=utf-8',
    'X-Request-Id': requestId,
  });
  res.end(JSON.stringify(response.body));
}
