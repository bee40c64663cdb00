/**
 * The gateway pass: what a browser carries to `auth: session` routes (DESIGN.md, "Routes").
 * It is not a second session: the auth-service mints it from the session under `/auth` as an
 * access token whose only audience is the gateway, puts it in a short-lived HttpOnly,
 * SameSite=Lax cookie at `/`, and the gateway verifies it like any token, without a call.
 * Both sides derive every name from PUBLIC_URL, so they cannot disagree.
 */

/**
 * GET `/auth/pass?returnTo=/path`: with a signed-in session, sets the pass and sends the browser
 * back to `returnTo`; without one, sends it through sign-in first and then back here.
 */
export const GATEWAY_PASS_PATH = '/auth/pass';

/**
 * The pass cookie's name: `__Host-gatehouse` on https (browsers then insist on `Secure`,
 * `Path=/` and no `Domain`), `gatehouse` on http, where a `__Host-` cookie cannot be set.
 *
 * @example
 * gatewayPassCookie('https://app.example.com'); // '__Host-gatehouse'
 */
export function gatewayPassCookie(publicUrl: string): string {
  return new URL(publicUrl).protocol === 'https:' ? '__Host-gatehouse' : 'gatehouse';
}

/**
 * The pass token's `aud`: the public origin, the gateway itself. An API verifying for its own
 * audience (`gatehouse-api`) refuses it, and the gateway refuses it as a Bearer token.
 *
 * @example
 * gatewayPassAudience('https://app.example.com/'); // 'https://app.example.com'
 */
export function gatewayPassAudience(publicUrl: string): string {
  return new URL(publicUrl).origin;
}
