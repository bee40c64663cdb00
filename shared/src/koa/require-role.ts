import type { Middleware } from 'koa';
import { DEFAULT_REALM } from '../bearer/bearer-challenge.js';
import { roleCheck } from '../bearer/claims-check.js';
import type { AuthState } from './require-auth.js';

/**
 * Lets a request through only when its token carries `role` in `roles` and the scope of the
 * same name in `scope` (bearer/claims-check.ts says why). Enforces:
 * - 403 `insufficient_scope` with the RFC 6750 challenge otherwise;
 * - placement after `requireAuth` (without it every request would be refused, so it fails loudly).
 *
 * @example
 * router.get('/api/admin/stats', requireAuth(verifier), requireRole('admin'), statsRoute);
 */
export function requireRole(role: string, options: { realm?: string } = {}): Middleware<AuthState> {
  const check = roleCheck(role, options.realm ?? DEFAULT_REALM);
  return async (ctx, next) => {
    const auth = (ctx.state as Partial<AuthState>).auth;
    if (!auth) throw new Error('requireRole must come after requireAuth');
    check(auth);
    await next();
  };
}
