/** Express adapters for the shared mechanisms. The gateway imports these; services never do. */
export { errorHandler, sendError } from './error-handler.js';
