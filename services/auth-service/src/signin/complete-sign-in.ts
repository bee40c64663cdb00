import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import { requestSource } from '../http/request-source.js';
import type { Fetch } from './provider/discover-provider.js';
import type { OpenIdProvider } from './provider/openid-provider.js';
import { startSignedInSession } from '../sessions/signed-in-session.js';
import type { UserDirectory } from '../users/user-directory.js';
import { admitUser, type AdmissionPolicy } from './admit-user.js';
import { fetchUserinfo } from './fetch-userinfo.js';
import { grantCheckFailure } from './grant-errors.js';
import type { PendingSession } from './pending-sign-in.js';
import { safeReturnTo } from './safe-return-to.js';
import { tokenEndpointRefusal } from './provider-refusal.js';
import { SignInError } from './sign-in-error.js';
import type { VerifyIdToken } from './verify-id-token.js';

/**
 * Runs after grant on the callback (and after checkCallback, which requires a pending nonce
 * and hands it over as `ctx.state.expectedNonce`), with grant's token response in the
 * session. Enforces, in
 * order: a successful token exchange (a refused one classified by who caused it,
 * provider-refusal.ts); an id_token fully verified (verify-id-token.ts) against
 * the nonce this session sent; `email_verified === true`; a userinfo `sub` equal to the
 * token's when userinfo is asked (only when the id_token lacks the profile); admission
 * (admit-user.ts). Then the session is replaced by a fresh one under a new id (no fixation)
 * holding only a SignedInSession (`userId`, a new random `sid`, `signedInAt`, the request's `from`; nothing from the
 * provider, no token), and the browser goes back to `returnTo`.
 */
export function completeSignIn(options: {
  bound: () => { provider: OpenIdProvider; verifyIdToken: VerifyIdToken };
  directory: UserDirectory;
  policy: AdmissionPolicy;
  fetch: Fetch;
  now: () => number;
  /** How long the userinfo request may take. */
  timeoutMs: number;
}): Middleware {
  return async (ctx) => {
    const { provider, verifyIdToken } = options.bound();
    const session = ctx.session as PendingSession;
    const pending = session.grant ?? {};
    const response = typeof pending.response === 'object' ? pending.response : {};
    // The token response must not outlive this request, whatever happens next.
    delete session.grant;
    if (response.error !== undefined) throw fromGrantError(response.error);
    if (typeof response.id_token !== 'string') {
      // A success answer without an id_token (or not JSON at all) is the provider's garbage.
      throw new SignInError(
        502,
        'token_exchange_failed',
        'no_id_token',
        'the provider answered the token request without an id_token',
      );
    }
    const expectedNonce: unknown = ctx.state.expectedNonce;
    if (typeof expectedNonce !== 'string' || expectedNonce.length === 0) {
      throw new SignInError(400, 'invalid_state', 'missing_nonce', 'no sign-in nonce to check');
    }
    const claims = await verifyIdToken(response.id_token, expectedNonce);
    if (claims.email_verified !== true) {
      throw new SignInError(
        403,
        'access_denied',
        'email_not_verified',
        'the provider has not verified this email address',
      );
    }
    if (typeof claims.email !== 'string' || !claims.email.includes('@')) {
      throw new SignInError(401, 'invalid_id_token', 'email', 'the id_token carries no email');
    }
    let profile: { name?: unknown; picture?: unknown } = claims;
    if (
      claims.name === undefined &&
      provider.userinfoEndpoint &&
      typeof response.access_token === 'string'
    ) {
      profile = await fetchUserinfo({
        endpoint: provider.userinfoEndpoint,
        accessToken: response.access_token,
        expectedSubject: claims.sub,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
      });
    }
    const user = await admitUser({
      directory: options.directory,
      policy: options.policy,
      identity: {
        issuer: provider.issuer,
        subject: claims.sub,
        email: claims.email,
        name: typeof profile.name === 'string' ? profile.name : null,
        picture: typeof profile.picture === 'string' ? profile.picture : null,
      },
      hd: typeof claims.hd === 'string' ? claims.hd : undefined,
      now: options.now(),
    });
    const returnTo = safeReturnTo(session.returnTo);
    startSignedInSession(ctx, {
      userId: user.id,
      sid: randomBytes(18).toString('base64url'),
      signedInAt: options.now(),
      from: requestSource(ctx),
    });
    await ctx.session!.regenerate();
    ctx.state.signedInUser = { id: user.id, email: user.email };
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(returnTo);
  };
}

/** grant reports its own checks and a failed token exchange as `response.error`. */
function fromGrantError(error: unknown): SignInError {
  return grantCheckFailure(error) ?? tokenEndpointRefusal(error);
}
