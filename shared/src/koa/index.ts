/** Koa adapters for the shared mechanisms. Services import these; the gateway never does. */
export { errorHandler } from './error-handler.js';
export { internalRoutes } from './internal-routes.js';
export { requestContext, type RequestState } from './request-context.js';
