import type { Logger } from '@gatehouse/shared';
import type { Context, Middleware } from 'koa';
import { isSignedInSession } from '../sessions/signed-in-session.js';
import { discardSessionChanges } from '../sessions/session-writes.js';
import { isSignInError } from './sign-in-error.js';
import type { SignInMetrics } from './sign-in-metrics.js';

/**
 * Wraps the callback. Enforces:
 * - exactly one audit line per callback: the provider id, `decision` allowed, linked or
 *   denied, the identity (`subject` at the provider) once known, with the error code and the
 *   failed check (`reason`), plus what the check judged (a refusal's email, domain and rule);
 *   never a token, code or cookie; and one count in `auth_sign_ins_total{provider,decision}`;
 * - a refused sign-in in a session that is not signed in leaves no sign-in state behind: the
 *   session is destroyed (server-side and cookie);
 * - an established signed-in session survives untouched: the callback is a GET any site can
 *   send a browser to, so a forged or replayed one must not sign the user out, and a refused
 *   one writes nothing back (a stolen cookie's callback, held at the provider while the owner
 *   signs out, must not save the session again; the grant state it carries is the one its
 *   own /auth/login stored and is single-use at the provider anyway).
 */
export function auditSignIn(options: { provider: string; metrics?: SignInMetrics }): Middleware {
  const { provider } = options;
  return async (ctx, next) => {
    const log = ctx.state.log as Logger;
    try {
      await next();
      const user = ctx.state.signedInUser as SignedInOutcome | undefined;
      const decision = user?.linked ? 'linked' : 'allowed';
      options.metrics?.signIn(provider, decision);
      log.info(
        {
          event: 'sign_in',
          provider,
          decision,
          user_id: user?.id,
          email: user?.email,
          subject: user?.subject,
        },
        user?.linked ? 'identity linked' : 'sign-in allowed',
      );
    } catch (err) {
      options.metrics?.signIn(provider, 'denied');
      endPendingSignIn(ctx);
      const code = (err as { code?: unknown }).code;
      log.warn(
        {
          event: 'sign_in',
          provider,
          decision: 'denied',
          ...(typeof ctx.state.identitySubject === 'string' && {
            subject: ctx.state.identitySubject,
          }),
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

/** What complete-sign-in.ts leaves in `ctx.state.signedInUser` for the audit line. */
export interface SignedInOutcome {
  id: string;
  email: string;
  /** The identity's subject at the provider. */
  subject: string;
  /** True when the callback linked an identity to the signed-in user instead of signing in. */
  linked: boolean;
}

function endPendingSignIn(ctx: Context): void {
  if (!isSignedInSession(ctx.session)) {
    ctx.session = null;
    return;
  }
  discardSessionChanges(ctx);
}
