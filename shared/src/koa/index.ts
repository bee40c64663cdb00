/** Koa adapters for the shared mechanisms. Services import these; the gateway never does. */
export { denyFraming } from './deny-framing.js';
export { errorHandler } from './error-handler.js';
export { favicon } from './favicon.js';
export { internalRoutes } from './internal-routes.js';
export { mountRouter, routerMiddleware, type MountableRouter } from './mount-router.js';
export { requestContext, type RequestState } from './request-context.js';
export { bearerChallenge } from '../bearer/bearer-challenge.js';
export { requireAuth, type AuthState } from './require-auth.js';
export { requireRole } from './require-role.js';
export { requireScope } from './require-scope.js';
export { isFormRequest, readForm, type ReadFormOptions } from './read-form.js';
