import { HttpError } from '@gatehouse/shared';
import type { Context } from 'koa';
import type { User } from '../users/user.js';
import { signedInSession } from './signed-in-session.js';
import { takeSessionUser } from './session-user.js';

/**
 * The user behind the request's session, the session's `sid` and the provider it came
 * through, for routes that need one.
 * Enforces:
 * - a live session (the store already dropped idle and expired ones) with `userId` and `sid`;
 * - a user that still exists and is not disabled, read in this request (with the session, or
 *   from the directory); otherwise the session is ended too, so a disabled user's cookie
 *   stops working everywhere at once.
 * Throws 401 `login_required` in every other case.
 *
 * @example
 * const { user, sid } = await requireSignedInUser(ctx, directory);
 */
export async function requireSignedInUser(
  ctx: Context,
  directory: { findById(id: string): Promise<User | undefined> },
): Promise<{ user: User; sid: string; provider: string }> {
  const signedIn = signedInSession(ctx.session);
  if (!signedIn) throw new HttpError(401, 'login_required', 'sign in first');
  // Read with the session in one statement when the store could (session-user.ts).
  const read = takeSessionUser(ctx, signedIn.userId);
  const user = read ? read.user : await directory.findById(signedIn.userId);
  if (!user || user.disabled) {
    ctx.session = null;
    throw new HttpError(401, 'login_required', 'the session has ended; sign in again');
  }
  return { user, sid: signedIn.sid, provider: signedIn.provider };
}
