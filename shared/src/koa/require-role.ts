import type { Middleware } from 'koa';
import { HttpError } from '../errors/http-error.js';
import { scopesOf } from '../tokens/access-token-claims.js';
import { assertChallengeSafe, bearerChallenge, DEFAULT_REALM } from './bearer-challenge.js';
import type { AuthState } from './require-auth.js';

/**
 * Lets a request through only when its token carries `role` in `roles` and the scope of the
 * same name in `scope`. `roles` says who the user is, `scope` what this token was granted:
 * an admin who approved a command-line client for `api` holds a token that must not open
 * admin routes. Gatehouse issues a role only with its scope (`api` plus one scope per role),
 * so the check costs a first-party token nothing. Enforces:
 * - 403 `insufficient_scope` with the RFC 6750 challenge otherwise;
 * - placement after `requireAuth` (without it every request would be refused, so it fails loudly).
 *
 * @example
 * router.get('/api/admin/stats', requireAuth(verifier), requireRole('admin'), statsRoute);
 */
export function requireRole(role: string, options: { realm?: string } = {}): Middleware<AuthState> {
  const realm = options.realm ?? DEFAULT_REALM;
  assertChallengeSafe('requireRole role', role);
  assertChallengeSafe('requireRole "realm"', realm);
  const description = `the ${role} role is required`;
  return async (ctx, next) => {
    const auth = (ctx.state as Partial<AuthState>).auth;
    if (!auth) throw new Error('requireRole must come after requireAuth');
    if (!auth.roles.includes(role) || !scopesOf(auth).has(role)) {
      throw new HttpError(403, 'insufficient_scope', description, {
        headers: {
          'WWW-Authenticate': bearerChallenge({ realm, error: 'insufficient_scope', description }),
        },
      });
    }
    await next();
  };
}
