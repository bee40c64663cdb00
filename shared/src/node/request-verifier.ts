import type { IncomingMessage } from 'node:http';
import { authenticateBearer } from '../bearer/authenticate-bearer.js';
import { assertChallengeSafe, DEFAULT_REALM } from '../bearer/bearer-challenge.js';
import { roleCheck, scopeCheck, type ClaimsCheck } from '../bearer/claims-check.js';
import type { AccessTokenClaims } from '../tokens/access-token-claims.js';
import type { TokenVerifier } from '../tokens/token-verifier.js';

/** Options of `createRequestVerifier`: what a request must carry besides a valid token. */
export interface RequestVerifierOptions {
  /** A role the token's `roles` must contain. */
  role?: string;
  /** A scope the token's `scope` must contain. */
  scope?: string;
  /** The `realm` of `WWW-Authenticate` challenges. Default `gatehouse`. */
  realm?: string;
}

/**
 * Builds `verifyRequest(req)` for a service without a framework (`node:http`, or any framework
 * that hands over the `IncomingMessage`). It resolves to the verified claims or throws an
 * HttpError whose status (401, 403, 503) and headers (`WWW-Authenticate` per RFC 6750,
 * `Retry-After`) are the answer; `writeError` writes it as every adapter does. Names are
 * checked here, at setup.
 *
 * @example
 * const verifyAdmin = createRequestVerifier(verifier, { role: 'admin' });
 * http.createServer(async (req, res) => {
 *   try {
 *     const claims = await verifyAdmin(req);
 *     res.end(JSON.stringify({ sub: claims.sub }));
 *   } catch (err) {
 *     writeError(res, err, req);
 *   }
 * });
 */
export function createRequestVerifier(
  verifier: Pick<TokenVerifier, 'verify'>,
  options: RequestVerifierOptions = {},
): (req: Pick<IncomingMessage, 'headers'>) => Promise<AccessTokenClaims> {
  const realm = options.realm ?? DEFAULT_REALM;
  assertChallengeSafe('createRequestVerifier "realm"', realm);
  const checks: ClaimsCheck[] = [];
  if (options.role !== undefined) checks.push(roleCheck(options.role, realm));
  if (options.scope !== undefined) checks.push(scopeCheck(options.scope, realm));
  return async (req) => {
    const claims = await authenticateBearer(verifier, req.headers.authorization, { realm });
    for (const check of checks) check(claims);
    return claims;
  };
}
