import type { Context } from 'koa';
import type { DirectoryEntry } from '../users/user-directory.js';

/** The user read with the request's session, until the request's first look at it. */
const readWithSession = new WeakMap<
  Context,
  { readonly userId: string; readonly user: DirectoryEntry | undefined }
>();

/**
 * Keeps the user read in the same statement as the request's session (SessionStore's
 * getWithUser, called by koa-session's store in session-writes.ts) for `takeSessionUser`.
 */
export function rememberSessionUser(
  ctx: Context,
  userId: string | null,
  user: DirectoryEntry | undefined,
): void {
  if (userId === null) readWithSession.delete(ctx);
  else readWithSession.set(ctx, { userId, user });
}

/**
 * The user read with this request's session, when it is `userId`'s (undefined: read the
 * directory). Enforces:
 * - taken once: a second look in the same request (after the route changed the user, say)
 *   reads the directory again;
 * - only for the user the session still names: a session replaced during the request
 *   (sign-in) reads its new user from the directory.
 * It is read when the session is, at the start of the request, never reused across requests:
 * a user disabled or removed is refused from the next request on, as with a read at the route.
 */
export function takeSessionUser(
  ctx: Context,
  userId: string,
): { readonly user: DirectoryEntry | undefined } | undefined {
  const read = readWithSession.get(ctx);
  readWithSession.delete(ctx);
  return read?.userId === userId ? { user: read.user } : undefined;
}
