import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { toErrorResponse } from '../errors/error-response.js';

/**
 * Writes `err` as the standard JSON error, unless headers are already out (then the
 * connection is cut, the only honest signal left). 5xx are logged with their cause.
 */
export function sendError(res: Response, err: unknown, requestId: string, logger: Logger): void {
  const response = toErrorResponse(err, requestId);
  if (response.log.level === 'error')
    logger.error({ err: response.log.err, request_id: requestId }, 'request failed');
  else logger.debug({ request_id: requestId, error: response.body.error }, 'request refused');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .status(response.status)
    .set(response.headers)
    .set('Cache-Control', 'no-store')
    .json(response.body);
}

/** Express's terminal error middleware, built on `sendError`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId =
      (res.getHeader('x-request-id') as string | undefined) ??
      String(req.headers['x-request-id'] ?? 'unknown');
    sendError(res, err, requestId, logger);
  };
}
