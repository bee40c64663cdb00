import { HttpError } from '@gatehouse/shared';
import type { Context } from 'koa';
import type { User } from '../users/user.js';
import type { SignedInSession } from './session-middleware.js';

/**
 * The user behind the request's session, for routes that need one. Enforces:
 * - a live session (the store already dropped idle and expired ones) with `userId` and `sid`;
 * - a user that still exists and is not disabled; otherwise the session is ended too, so a
 *   disabled user's cookie stops working everywhere at once.
 * Throws 401 `login_required` in every other case.
 *
 * @example
 * const user = await requireSignedInUser(ctx, directory);
 */
export async function requireSignedInUser(
  ctx: Context,
  directory: { findById(id: string): Promise<User | undefined> },
): Promise<User> {
  // Any session may arrive here (a pending sign-in too): its fields are unchecked until here.
  const session = ctx.session as Partial<Record<keyof SignedInSession, unknown>> | null | undefined;
  const userId = session?.userId;
  if (typeof userId !== 'string' || typeof session?.sid !== 'string') {
    throw new HttpError(401, 'login_required', 'sign in first');
  }
  const user = await directory.findById(userId);
  if (!user || user.disabled) {
    ctx.session = null;
    throw new HttpError(401, 'login_required', 'the session has ended; sign in again');
  }
  return user;
}
