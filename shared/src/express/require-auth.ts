import type { RequestHandler } from 'express';
import { authenticateBearer } from '../bearer/authenticate-bearer.js';
import { assertChallengeSafe, DEFAULT_REALM } from '../bearer/bearer-challenge.js';
import { roleCheck, scopeCheck, type ClaimsCheck } from '../bearer/claims-check.js';
import { writeError } from '../node/write-error.js';
import type { AccessTokenClaims } from '../tokens/access-token-claims.js';
import type { TokenVerifier } from '../tokens/token-verifier.js';

// On `res.locals`, Express's place for per-request data: `req.auth` is taken by other
// libraries (express-oauth2-jwt-bearer, express-jwt) with other types.
declare module 'express-serve-static-core' {
  interface Locals {
    /** The verified access token's claims, set by `requireAuth`. */
    auth?: AccessTokenClaims;
  }
}

/**
 * Protects the routes after it with a Gatehouse access token, as the Koa `requireAuth` does:
 * 401 (plain challenge without a token, `invalid_token` with a bad one), 503 without usable
 * keys, each written here as `{error, error_description, request_id}` JSON with its
 * `WWW-Authenticate`, so no error handler is needed. On success the claims are `res.locals.auth`.
 *
 * @example
 * app.get('/reports', requireAuth(verifier), (req, res) => res.json({ owner: res.locals.auth!.sub }));
 */
export function requireAuth(
  verifier: Pick<TokenVerifier, 'verify'>,
  options: { realm?: string } = {},
): RequestHandler {
  const realm = options.realm ?? DEFAULT_REALM;
  assertChallengeSafe('requireAuth "realm"', realm);
  return (req, res, next) => {
    authenticateBearer(verifier, req.headers.authorization, { realm }).then(
      (claims) => {
        res.locals.auth = claims;
        next();
      },
      (err: unknown) => writeError(res, err, req),
    );
  };
}

/**
 * 403 `insufficient_scope` unless the token's `roles` contain `role`; after `requireAuth`.
 *
 * @example
 * app.delete('/reports/:id', requireAuth(verifier), requireRole('admin'), removeReport);
 */
export function requireRole(role: string, options: { realm?: string } = {}): RequestHandler {
  return claimsGuard('requireRole', roleCheck(role, options.realm ?? DEFAULT_REALM));
}

/**
 * 403 `insufficient_scope` (the challenge names the scope) unless the token's `scope` has it.
 *
 * @example
 * app.post('/reports', requireAuth(verifier), requireScope('reports:write'), createReport);
 */
export function requireScope(scope: string, options: { realm?: string } = {}): RequestHandler {
  return claimsGuard('requireScope', scopeCheck(scope, options.realm ?? DEFAULT_REALM));
}

function claimsGuard(name: string, check: ClaimsCheck): RequestHandler {
  return (req, res, next) => {
    if (!res.locals.auth) throw new Error(`${name} must come after requireAuth`);
    try {
      check(res.locals.auth);
    } catch (err) {
      writeError(res, err, req);
      return;
    }
    next();
  };
}
