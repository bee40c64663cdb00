/** Fastify adapters: `preHandler` hooks answering exactly as the Koa and Express ones do. */
export { requireAuth, requireRole, requireScope } from './require-auth.js';
