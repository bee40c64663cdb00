import type { Context } from 'koa';
import { signedInSession } from '../sessions/signed-in-session.js';
import type { DirectoryEntry, UserDirectory } from '../users/user-directory.js';
import type { VerifiedIdentity } from './kinds/verified-identity.js';
import type { PendingSession } from './pending-sign-in.js';
import { directoryIdentity, identityTaken } from './directory-identity.js';
import { SignInError } from './sign-in-error.js';

/**
 * The callback of the account page's "link another provider" (account/link-routes.ts), in the
 * session that asked. Enforces:
 * - the session is still signed in as the user who asked (`linkTo`): signed out or switched
 *   meanwhile, nothing is linked (400 `invalid_state`);
 * - the user is not disabled;
 * - an identity linked to another user stays there (403 `identity_taken`): one identity, one
 *   person; the other user must unlink it first.
 * No email is compared: the person proved both identities in one browser session. The session
 * stays signed in as it was; `linkTo` is spent.
 */
export async function linkIdentity(
  ctx: Context,
  options: { directory: UserDirectory; identity: VerifiedIdentity; now: number },
): Promise<DirectoryEntry> {
  const session = ctx.session as PendingSession;
  const linkTo = session.linkTo;
  delete session.linkTo;
  const signedIn = signedInSession(ctx.session);
  if (signedIn === undefined || signedIn.userId !== linkTo) {
    throw new SignInError(
      400,
      'invalid_state',
      'link_session',
      'sign in again, then link the account',
    );
  }
  const user = await options.directory.findById(signedIn.userId);
  if (!user || user.disabled) {
    throw new SignInError(403, 'access_denied', 'disabled', 'this account is disabled');
  }
  const result = await options.directory.link(
    user.id,
    directoryIdentity(options.identity),
    options.now,
  );
  if (result === 'taken') throw identityTaken();
  return user;
}
