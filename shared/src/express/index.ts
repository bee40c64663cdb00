/**
 * Express adapters for the shared mechanisms. The gateway imports these; services never do.
 * Teams' Express services protect routes with `requireAuth`, `requireRole` and `requireScope`.
 */
export { errorHandler, sendError } from './error-handler.js';
export { requireAuth, requireRole, requireScope } from './require-auth.js';
