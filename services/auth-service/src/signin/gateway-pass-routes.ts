import { gatewayPassAudience, gatewayPassCookie, HttpError, type Logger } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { WEB_CLIENT_ID } from '../oauth/clients/web-client.js';
import { requireSignedInUser } from '../sessions/require-signed-in-user.js';
import { safeReturnTo } from './safe-return-to.js';
import type { AccessTokenIssuer } from '../tokens/access-token-issuer.js';
import type { User } from '../users/user.js';
import { createAuthRouter } from '../http/auth-router.js';
import { GATEWAY_PASS_PATH, LOGIN_PATH } from '../http/endpoints.js';

/**
 * GET /auth/pass?returnTo=/path: the gateway pass for `auth: session` routes (shared
 * gateway-pass.ts), minted from the session, never a second session. Enforces:
 * - a live session of an enabled user; otherwise a 302 through sign-in that comes back here,
 *   so the pass is set once signed in and the browser lands on the page it asked for;
 * - `returnTo` a same-origin path (safe-return-to.ts), else `/`;
 * - the pass is an access token of the browser's client whose only `aud` is the gateway
 *   (an API refuses it), with the session's `sid` (signing out names it in the revocation
 *   feed, so the gateway refuses the pass too) and the session token's scope and roles;
 * - its cookie: HttpOnly, SameSite=Lax, Path=/, Secure and `__Host-` on https, living exactly
 *   as long as the token (ACCESS_TOKEN_TTL); the gateway renews it through here while the
 *   session lives;
 * - no caching of the redirect that carries it.
 */
export function gatewayPassRoutes(options: {
  publicUrl: string;
  secureCookie: boolean;
  directory: { findById(id: string): Promise<User | undefined> };
  issue: AccessTokenIssuer;
}): Router {
  const { publicUrl, secureCookie, directory, issue } = options;
  const cookie = gatewayPassCookie(publicUrl);
  const audience = gatewayPassAudience(publicUrl);
  const router = createAuthRouter();
  router.get(GATEWAY_PASS_PATH, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const returnTo = safeReturnTo(ctx.query.returnTo);
    const signedIn = await signedInUser(ctx, directory);
    if (signedIn === undefined) {
      const back = `${GATEWAY_PASS_PATH}?returnTo=${encodeURIComponent(returnTo)}`;
      ctx.redirect(`${LOGIN_PATH}?returnTo=${encodeURIComponent(back)}`);
      return;
    }
    const { user, sid } = signedIn;
    const issued = await issue({
      user,
      sid,
      clientId: WEB_CLIENT_ID,
      registered: 'first-party',
      audience,
    });
    ctx.cookies.set(cookie, issued.token, {
      ...passCookieAttributes(secureCookie),
      maxAge: issued.expiresIn * 1000,
    });
    (ctx.state.log as Logger).debug({ sub: user.id }, 'gateway pass issued');
    ctx.redirect(returnTo);
  });
  return router;
}

/** Clears the gateway pass in the response (sign-out): same attributes, so the browser drops it. */
export function clearGatewayPass(ctx: Context, publicUrl: string, secureCookie: boolean): void {
  ctx.cookies.set(gatewayPassCookie(publicUrl), '', {
    ...passCookieAttributes(secureCookie),
    maxAge: 0,
    expires: new Date(0),
  });
}

/** The pass cookie's attributes, the same when it is set and when it is cleared. */
function passCookieAttributes(secure: boolean) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    signed: false,
    overwrite: true,
  } as const;
}

async function signedInUser(
  ctx: Context,
  directory: { findById(id: string): Promise<User | undefined> },
): Promise<{ user: User; sid: string } | undefined> {
  try {
    return await requireSignedInUser(ctx, directory);
  } catch (err) {
    if (err instanceof HttpError && err.status === 401) return undefined;
    throw err;
  }
}
