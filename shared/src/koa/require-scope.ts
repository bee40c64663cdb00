import type { Middleware } from 'koa';
import { DEFAULT_REALM } from '../bearer/bearer-challenge.js';
import { scopeCheck } from '../bearer/claims-check.js';
import type { AuthState } from './require-auth.js';

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
  const check = scopeCheck(scope, options.realm ?? DEFAULT_REALM);
  return async (ctx, next) => {
    const auth = (ctx.state as Partial<AuthState>).auth;
    if (!auth) throw new Error('requireScope must come after requireAuth');
    check(auth);
    await next();
  };
}
