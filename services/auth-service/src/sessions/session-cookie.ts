import type { Context } from 'koa';

/** The session cookie's name over http; it only ever holds a signed, random id. */
export const SESSION_COOKIE = 'gatehouse_session';

/**
 * Its name whenever PUBLIC_URL is https. Browsers accept a `__Secure-` cookie only with
 * Secure from an https page, so a network attacker on plain http (or an http sibling) cannot
 * plant or overwrite it. `__Host-` would also forbid Domain, but requires Path=/, and the
 * session cookie is scoped to /auth (DESIGN.md).
 */
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

/** The cookie attributes koa-session sets the session cookie with. */
export interface SessionCookieOptions {
  maxAge: number;
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: string;
  signed: true;
  overwrite: true;
}

/**
 * koa-session's `externalKey` for https: reads the `__Secure-` cookie, and a browser that
 * still holds the unprefixed cookie from before the prefix keeps its session: the id is read
 * from the old name once, written under the new one and the old one is cleared (a cookie
 * with Path=/auth is only ever seen by this service, so nothing else reads the old name).
 * The old name stops mattering once SESSION_MAX_AGE has passed since the upgrade.
 *
 * @example
 * session({ key: SECURE_SESSION_COOKIE, externalKey: prefixedSessionCookie(options), ... }, app);
 */
export function prefixedSessionCookie(options: SessionCookieOptions) {
  return {
    get(ctx: Context): string | undefined {
      const current = ctx.cookies.get(SECURE_SESSION_COOKIE, { signed: true });
      if (current) return current;
      const legacy = ctx.cookies.get(SESSION_COOKIE, { signed: true });
      if (legacy) {
        ctx.cookies.set(SECURE_SESSION_COOKIE, legacy, options);
        ctx.cookies.set(SESSION_COOKIE, '', { ...options, maxAge: 0, expires: new Date(0) });
      }
      return legacy;
    },
    set(ctx: Context, id: string): void {
      ctx.cookies.set(SECURE_SESSION_COOKIE, id, options);
    },
  };
}
