import type Koa from 'koa';
import session from 'koa-session';
import {
  prefixedSessionCookie,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  type SessionCookieOptions,
} from './session-cookie.js';
import { sessionWrites } from './session-writes.js';
import type { SessionStore } from './session-store.js';

export { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './session-cookie.js';

/**
 * koa-session with the server-side store. Enforces a cookie that is HttpOnly, SameSite=Lax,
 * Secure and named `__Secure-gatehouse_session` whenever PUBLIC_URL is https (whatever
 * `ctx.secure` says about this hop; session-cookie.ts), scoped to `/auth`, and signed with
 * SESSION_KEYS (app.keys:
 * the first signs, all verify, so keys rotate without signing anyone out). The cookie lives as
 * long as the absolute lifetime; the store ends idle and expired sessions. Only an id minted
 * in this request is ever created; any other save updates a live session or does nothing, so
 * a session ended while a request held it stays ended (session-writes.ts).
 */
export function sessionMiddleware(
  app: Koa,
  options: { keys: readonly string[]; secureCookie: boolean; maxAgeMs: number },
  store: Pick<SessionStore, 'getWithUser' | 'create' | 'update' | 'destroy'>,
): Koa.Middleware {
  app.keys = [...options.keys];
  const writes = sessionWrites(store);
  const cookie: SessionCookieOptions = {
    maxAge: options.maxAgeMs,
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secureCookie,
    path: '/auth',
    signed: true,
    overwrite: true,
  };
  const middleware = session(
    {
      ...cookie,
      key: options.secureCookie ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
      ...(options.secureCookie && { externalKey: prefixedSessionCookie(cookie) }),
      store: writes.store,
      genid: writes.genid,
      rolling: false,
      renew: false,
    } as Parameters<typeof session>[0],
    app,
  );
  if (!options.secureCookie) return middleware;
  return (ctx, next) => {
    // The browser talks https to PUBLIC_URL even when this hop is plain http and no trusted
    // X-Forwarded-Proto says so (TRUST_PROXY=false); without this, the cookies library refuses
    // to set a Secure cookie and every sign-in fails.
    ctx.cookies.secure = true;
    return middleware(ctx, next);
  };
}
