import type { Middleware } from 'koa';
import { HttpError } from '../errors/http-error.js';
import { scopesOf } from '../tokens/access-token-claims.js';
import { assertChallengeSafe, bearerChallenge, DEFAULT_REALM } from './bearer-challenge.js';
import type { AuthState } from './require-auth.js';

/** RFC 6749 scope-token: printable ASCII except space, quote and backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Lets a request through only when its token's space-separated `scope` contains `scope`.
 * Enforces:
 * - 403 `insufficient_scope` with `scope="..."` in the RFC 6750 challenge otherwise;
 * - placement after `requireAuth` (it fails loudly without it).
 *
 * @example
 * router.post('/api/reports', requireAuth(verifier), requireScope('reports:write'), createReport);
 */
export function requireScope(
  scope: string,
  options: { realm?: string } = {},
): Middleware<AuthState> {
  const realm = options.realm ?? DEFAULT_REALM;
  if (!SCOPE_TOKEN.test(scope)) throw new TypeError('requireScope scope must be one scope-token');
  assertChallengeSafe('requireScope "realm"', realm);
  const description = `the ${scope} scope is required`;
  return async (ctx, next) => {
    const auth = (ctx.state as Partial<AuthState>).auth;
    if (!auth) throw new Error('requireScope must come after requireAuth');
    if (!scopesOf(auth).has(scope)) {
      throw new HttpError(403, 'insufficient_scope', description, {
        headers: {
          'WWW-Authenticate': bearerChallenge({
            realm,
            error: 'insufficient_scope',
            description,
            scope,
          }),
        },
      });
    }
    await next();
  };
}
