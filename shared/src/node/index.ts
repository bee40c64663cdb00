/**
 * Framework-free adapter (`node:http`): `createRequestVerifier` builds `verifyRequest(req)`,
 * `writeError` answers as the Koa, Express and Fastify adapters do.
 */
export { createRequestVerifier, type RequestVerifierOptions } from './request-verifier.js';
export { writeError } from './write-error.js';
