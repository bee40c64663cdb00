import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { toErrorResponse } from '../errors/error-response.js';
import { HttpError } from '../errors/http-error.js';

/**
 * The one place a Koa service writes an error response. Enforces:
 * - every error as `{error, error_description, request_id}` JSON with its headers;
 * - 5xx logged at error with the stack and cause, and never described to the client;
 * - 4xx logged at debug;
 * - an unmatched route as 404 `not_found`.
 * Put it right after `requestContext`.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'not_found', `no route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const requestId = (ctx.state.requestId as string | undefined) ?? 'unknown';
      const response = toErrorResponse(err, requestId);
      const log = ctx.state.log as Logger | undefined;
      if (response.log?.level === 'error') log?.error({ err: response.log.err }, 'request failed');
      else
        log?.debug(
          { error: response.body.error, description: response.body.error_description },
          'request refused',
        );
      ctx.status = response.status;
      ctx.set(response.headers);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = response.body;
    }
  };
}
