import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { authenticateBearer } from '../bearer/authenticate-bearer.js';
import { assertChallengeSafe, DEFAULT_REALM } from '../bearer/bearer-challenge.js';
import { roleCheck, scopeCheck, type ClaimsCheck } from '../bearer/claims-check.js';
import { toErrorResponse } from '../errors/error-response.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../request-id.js';
import type { AccessTokenClaims } from '../tokens/access-token-claims.js';
import type { TokenVerifier } from '../tokens/token-verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified access token's claims, set by `requireAuth`. */
    auth?: AccessTokenClaims;
  }
}

/**
 * A `preHandler` hook protecting a route (or, added with `addHook`, every route) with a
 * Gatehouse access token, answering as the Koa and Express adapters do: 401 (plain challenge
 * without a token, `invalid_token` with a bad one), 503 without usable keys, as
 * `{error, error_description, request_id}` JSON with its `WWW-Authenticate`. On success the
 * claims are `request.auth`.
 *
 * @example
 * app.get('/reports', { preHandler: requireAuth(verifier) }, async (request) => ({ owner: request.auth!.sub }));
 */
export function requireAuth(
  verifier: Pick<TokenVerifier, 'verify'>,
  options: { realm?: string } = {},
): preHandlerAsyncHookHandler {
  const realm = options.realm ?? DEFAULT_REALM;
  assertChallengeSafe('requireAuth "realm"', realm);
  return async (request, reply) => {
    try {
      request.auth = await authenticateBearer(verifier, request.headers.authorization, { realm });
    } catch (err) {
      return refuse(request, reply, err);
    }
  };
}

/**
 * 403 `insufficient_scope` unless the token's `roles` contain `role`; after `requireAuth`.
 *
 * @example
 * app.delete('/reports/:id', { preHandler: [requireAuth(verifier), requireRole('admin')] }, removeReport);
 */
export function requireRole(
  role: string,
  options: { realm?: string } = {},
): preHandlerAsyncHookHandler {
  return claimsGuard('requireRole', roleCheck(role, options.realm ?? DEFAULT_REALM));
}

/**
 * 403 `insufficient_scope` (the challenge names the scope) unless the token's `scope` has it.
 *
 * @example
 * app.post('/reports', { preHandler: [requireAuth(verifier), requireScope('reports:write')] }, createReport);
 */
export function requireScope(
  scope: string,
  options: { realm?: string } = {},
): preHandlerAsyncHookHandler {
  return claimsGuard('requireScope', scopeCheck(scope, options.realm ?? DEFAULT_REALM));
}

function claimsGuard(name: string, check: ClaimsCheck): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (!request.auth) throw new Error(`${name} must come after requireAuth`);
    try {
      check(request.auth);
    } catch (err) {
      return refuse(request, reply, err);
    }
  };
}

function refuse(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const requestId = resolveRequestId(request.headers[REQUEST_ID_HEADER]);
  const response = toErrorResponse(err, requestId);
  return reply
    .code(response.status)
    .headers({ ...response.headers, 'cache-control': 'no-store', 'x-request-id': requestId })
    .send(response.body);
}
