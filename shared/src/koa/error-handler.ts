import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { toErrorResponse, type ErrorResponse } from '../errors/error-response.js';
import { HttpError } from '../errors/http-error.js';

/**
 * The one place a Koa service writes an error response. Enforces:
 * - every error as `{error, error_description, request_id}` JSON with its headers;
 * - 5xx logged at error with the stack and cause, and never described to the client;
 * - 4xx logged at debug;
 * - an unmatched route as 404 `not_found`;
 * - with `html`, the same error as an HTML page for clients that prefer HTML over JSON
 *   (a browser navigating), JSON for everyone else (`Accept: application/json`, `*\/*`);
 * - on paths where `jsonOnly` says so, JSON whatever `Accept` prefers: protocol endpoints
 *   whose errors are JSON by their RFC (OAuth's token, revocation, introspection, device
 *   authorization), called by clients whose default `Accept` prefers HTML (Java's).
 * Put it right after `requestContext`.
 *
 * @example
 * app.use(errorHandler({
 *   html: (body, status) => `<h1>${status}</h1>`,
 *   jsonOnly: (path) => path === '/auth/token',
 * }));
 */
export function errorHandler(
  options: {
    html?: (body: ErrorResponse['body'], status: number) => string;
    jsonOnly?: (path: string) => boolean;
  } = {},
): Middleware {
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
      if (response.log.level === 'error') log?.error({ err: response.log.err }, 'request failed');
      else
        log?.debug(
          { error: response.body.error, description: response.body.error_description },
          'request refused',
        );
      ctx.status = response.status;
      ctx.set(response.headers);
      ctx.set('Cache-Control', 'no-store');
      if (options.html && !options.jsonOnly?.(ctx.path) && ctx.accepts('json', 'html') === 'html') {
        ctx.type = 'html';
        ctx.body = options.html(response.body, response.status);
      } else {
        ctx.body = response.body;
      }
    }
  };
}
