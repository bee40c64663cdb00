import { HttpError } from '../errors/http-error.js';
import { scopesOf, type AccessTokenClaims } from '../tokens/access-token-claims.js';
import { assertChallengeSafe, bearerChallenge, DEFAULT_REALM } from './bearer-challenge.js';

/** Throws 403 `insufficient_scope` (RFC 6750, with its challenge) when a token lacks something. */
export type ClaimsCheck = (claims: AccessTokenClaims) => void;

/** RFC 6749 scope-token: printable ASCII except space, quote and backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The check behind every adapter's `requireRole`: `role` must be in the token's `roles` and
 * the scope of the same name in its `scope`. `roles` says who the user is, `scope` what this
 * token was granted: an admin who approved a command-line client for `api` holds a token that
 * must not open admin routes. Gatehouse issues a role only with its scope, so the check costs
 * a first-party token nothing. The role and realm are checked here, at setup, so a bad name
 * fails at start-up.
 *
 * @example
 * const adminOnly = roleCheck('admin', 'gatehouse');
 * adminOnly(claims); // throws HttpError 403 insufficient_scope
 */
export function roleCheck(role: string, realm = DEFAULT_REALM): ClaimsCheck {
  assertChallengeSafe('requireRole role', role);
  assertChallengeSafe('requireRole "realm"', realm);
  const description = `the ${role} role is required`;
  return (claims) => {
    if (claims.roles.includes(role) && scopesOf(claims).has(role)) return;
    throw new HttpError(403, 'insufficient_scope', description, {
      headers: {
        'WWW-Authenticate': bearerChallenge({ realm, error: 'insufficient_scope', description }),
      },
    });
  };
}

/**
 * The check behind every adapter's `requireScope`: `scope` must be one of the token's
 * space-separated `scope` values; the challenge names the scope.
 *
 * @example
 * scopeCheck('reports:write')(claims);
 */
export function scopeCheck(scope: string, realm = DEFAULT_REALM): ClaimsCheck {
  if (!SCOPE_TOKEN.test(scope)) throw new TypeError('requireScope scope must be one scope-token');
  assertChallengeSafe('requireScope "realm"', realm);
  const description = `the ${scope} scope is required`;
  return (claims) => {
    if (scopesOf(claims).has(scope)) return;
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
  };
}
