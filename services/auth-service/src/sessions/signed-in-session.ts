import type { Context } from 'koa';
import type { RequestSource } from '../http/request-source.js';

/** What a signed-in session carries; a pending sign-in carries grant's state instead. */
export interface SignedInSession {
  userId: string;
  /** The provider id the user signed in with (absent in sessions older than PROVIDERS). */
  provider?: string;
  /** Random per sign-in; also the access token's `sid` claim. */
  sid: string;
  signedInAt: number;
  /** Where the sign-in came from, for the account page's list of sessions. */
  from: RequestSource;
}

/**
 * Who a signed-in session belongs to: its user, its `sid`, and the provider it came through
 * (`google` for sessions older than PROVIDERS).
 */
export type SignedInRef = Pick<SignedInSession, 'userId' | 'sid'> & { provider: string };

/**
 * Whether session data belongs to a user: a string `userId` (a pending sign-in, or no session,
 * has none). The store's signed-in column, the device page's redirect to sign-in and the
 * failed callback's clean-up read this; any session data may arrive here unchecked.
 */
export function isSignedInSession(data: object | null | undefined): boolean {
  return typeof fields(data).userId === 'string';
}

/**
 * The session's user and `sid` when it is signed in and has both: what a route acting for
 * the user (its token, its account, sign-out) needs. Undefined otherwise.
 *
 * @example
 * signedInSession(ctx.session); // { userId, sid }, or undefined
 */
export function signedInSession(data: object | null | undefined): SignedInRef | undefined {
  const { userId, sid, provider } = fields(data);
  if (!isSignedInSession(data) || typeof sid !== 'string') return undefined;
  // Sessions from before PROVIDERS were all Google's.
  return {
    userId: userId as string,
    sid,
    provider: typeof provider === 'string' ? provider : 'google',
  };
}

function fields(data: object | null | undefined): Partial<Record<keyof SignedInSession, unknown>> {
  return data ?? {};
}

/**
 * Replaces the request's session with a signed-in one. koa-session's setter builds its Session
 * from a plain object, but its types accept only a Session: this is the one place that says so.
 */
export function startSignedInSession(ctx: Context, session: SignedInSession): void {
  ctx.session = session as unknown as Context['session'];
}
