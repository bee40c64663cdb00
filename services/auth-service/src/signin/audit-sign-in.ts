import type { Logger } from '@gatehouse/shared';
import type { Middleware } from 'koa';
import { isSignInError } from './sign-in-error.js';

/**
 * Wraps the callback. Enforces:
 * - exactly one audit line per callback: `decision` allowed or denied, with the error code
 *   and the failed check (`reason`); never a token, code or cookie;
 * - a refused sign-in leaves no session behind: the pending one is destroyed (server-side
 *   and cookie).
 */
export function auditSignIn(): Middleware {
  return async (ctx, next) => {
    const log = ctx.state.log as Logger;
    try {
      await next();
      const user = ctx.state.signedInUser as { id: string; email: string } | undefined;
      log.info(
        { event: 'sign_in', decision: 'allowed', user_id: user?.id, email: user?.email },
        'sign-in allowed',
      );
    } catch (err) {
      ctx.session = null;
      const code = (err as { code?: unknown }).code;
      log.warn(
        {
          event: 'sign_in',
          decision: 'denied',
          error: typeof code === 'string' ? code : 'server_error',
          reason: isSignInError(err) ? err.reason : 'unexpected',
        },
        'sign-in denied',
      );
      throw err;
    }
  };
}
