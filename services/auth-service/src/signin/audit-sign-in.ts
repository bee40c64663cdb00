import type { Logger } from '@gatehouse/shared';
import type { Context, Middleware } from 'koa';
import { isSignedInSession } from '../sessions/signed-in-session.js';
import { discardSessionChanges } from '../sessions/session-writes.js';
import { isSignInError } from './sign-in-error.js';

/**
 * Wraps the callback. Enforces:
 * - exactly one audit line per callback: `decision` allowed or denied, with the error code
 *   and the failed check (`reason`), plus what the check judged (a refusal's email, hd and
 *   rule); never a token, code or cookie;
 * - a refused sign-in in a session that is not signed in leaves no sign-in state behind: the
 *   session is destroyed (server-side and cookie);
 * - an established signed-in session survives untouched: the callback is a GET any site can
 *   send a browser to, so a forged or replayed one must not sign the user out, and a refused
 *   one writes nothing back (a stolen cookie's callback, held at the provider while the owner
 *   signs out, must not save the session again; the grant state it carries is the one its
 *   own /auth/login stored and is single-use at the provider anyway).
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
      endPendingSignIn(ctx);
      const code = (err as { code?: unknown }).code;
      log.warn(
        {
          event: 'sign_in',
          decision: 'denied',
          error: typeof code === 'string' ? code : 'server_error',
          reason: isSignInError(err) ? err.reason : 'unexpected',
          ...(isSignInError(err) ? err.audit : {}),
        },
        'sign-in denied',
      );
      throw err;
    }
  };
}

function endPendingSignIn(ctx: Context): void {
  if (!isSignedInSession(ctx.session)) {
    ctx.session = null;
    return;
  }
  discardSessionChanges(ctx);
}
