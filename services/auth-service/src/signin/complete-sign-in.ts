import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import { requestSource } from '../http/request-source.js';
import { startSignedInSession } from '../sessions/signed-in-session.js';
import type { UserDirectory } from '../users/user-directory.js';
import { admitUser, type AdmissionPolicy } from './admit-user.js';
import type { SignedInOutcome } from './audit-sign-in.js';
import { LAST_PROVIDER_COOKIE } from './choice-page.js';
import { grantCheckFailure } from './grant-errors.js';
import { linkIdentity } from './link-identity.js';
import type { ProviderRoles } from './roles/provider-roles.js';
import type { PendingSession } from './pending-sign-in.js';
import { safeReturnTo } from './safe-return-to.js';
import { tokenEndpointRefusal } from './provider-refusal.js';
import type { BoundProvider } from './bound-provider.js';
import { SignInError } from './sign-in-error.js';

/** How long the browser remembers the last provider used (the choice page lists it first). */
const LAST_PROVIDER_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/**
 * Runs after grant on a provider's callback (and after checkCallback, which requires a
 * pending nonce and hands it over as `ctx.state.expectedNonce`), with grant's token response
 * in the session. Enforces, in order: a successful token exchange (a refused one classified by
 * who caused it, provider-refusal.ts); the provider's kind vouching for the identity (for
 * OpenID kinds an id_token fully verified against this session's nonce; kinds/); then either
 * linking it to the signed-in user who asked (link-identity.ts) or admission (admit-user.ts);
 * then the identity's mapped roles from what its provider says now, and the sealed credential
 * to read them again at refresh (roles/provider-roles.ts).
 * A sign-in replaces the session by a fresh one under a new id (no fixation) holding only a
 * SignedInSession (`userId`, the provider id, a new random `sid`, `signedInAt`, the request's
 * `from`; nothing from the provider, no token), and the browser goes back to `returnTo`.
 */
export function completeSignIn(options: {
  provider: () => BoundProvider;
  directory: UserDirectory;
  policy: AdmissionPolicy;
  linkByVerifiedEmail: boolean;
  /** What the identity's provider groups map to (roles/provider-roles.ts). */
  roles: ProviderRoles;
  now: () => number;
}): Middleware {
  return async (ctx) => {
    const { registered, identify } = options.provider();
    const { settings } = registered;
    const session = ctx.session as PendingSession;
    const pending = session.grant ?? {};
    const response = typeof pending.response === 'object' ? pending.response : {};
    // The token response must not outlive this request, whatever happens next.
    delete session.grant;
    if (response.error !== undefined) throw fromGrantError(response.error);
    const expectedNonce: unknown = ctx.state.expectedNonce;
    if (typeof expectedNonce !== 'string' || expectedNonce.length === 0) {
      throw new SignInError(400, 'invalid_state', 'missing_nonce', 'no sign-in nonce to check');
    }
    const identity = await identify(response, expectedNonce);
    ctx.state.identitySubject = identity.subject;
    // After the identity is linked (its row exists): the roles its provider's facts map to
    // now, and the credential to read those facts again at refresh.
    const mapRoles = async () => {
      await options.directory.setMappedRoles(
        identity.provider,
        identity.subject,
        await options.roles.atSignIn(identity, ctx.state.log),
      );
      await options.roles.keepCredential(identity, response, ctx.state.log);
    };
    if (session.linkTo !== undefined) {
      const user = await linkIdentity(ctx, {
        directory: options.directory,
        identity,
        now: options.now(),
      });
      await mapRoles();
      done(ctx, { id: user.id, email: user.email, subject: identity.subject, linked: true });
      ctx.redirect(safeReturnTo(session.returnTo));
      return;
    }
    const user = await admitUser({
      directory: options.directory,
      policy: options.policy,
      provider: settings,
      identity,
      linkByEmail: options.linkByVerifiedEmail,
      now: options.now(),
    });
    // Read again at every sign-in: a group lost at the provider loses its role now.
    await mapRoles();
    const returnTo = safeReturnTo(session.returnTo);
    startSignedInSession(ctx, {
      userId: user.id,
      provider: settings.id,
      sid: randomBytes(18).toString('base64url'),
      signedInAt: options.now(),
      from: requestSource(ctx),
    });
    await ctx.session!.regenerate();
    ctx.cookies.set(LAST_PROVIDER_COOKIE, settings.id, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/auth/login',
      maxAge: LAST_PROVIDER_MAX_AGE_MS,
      secure: ctx.secure,
    });
    done(ctx, { id: user.id, email: user.email, subject: identity.subject, linked: false });
    ctx.redirect(returnTo);
  };
}

function done(ctx: Context, outcome: SignedInOutcome): void {
  ctx.state.signedInUser = outcome;
  ctx.set('Cache-Control', 'no-store');
}

/** grant reports its own checks and a failed token exchange as `response.error`. */
function fromGrantError(error: unknown): SignInError {
  return grantCheckFailure(error) ?? tokenEndpointRefusal(error);
}
