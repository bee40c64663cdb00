import type { Middleware } from 'koa';
import type { PendingSession } from './pending-sign-in.js';
import { authorizationRefusal } from './provider-refusal.js';
import { sameString } from './same-string.js';
import { SignInError } from './sign-in-error.js';

/**
 * Runs before grant on the callback. Enforces:
 * - a sign-in with `providerId` in progress in this session, with the non-empty state and
 *   nonce it sent (none:
 *   a replayed or forged callback, or a sign-in started at another name of this server, whose
 *   cookie the callback on PUBLIC_URL's host never gets), 400 `invalid_state`, naming
 *   `publicOrigin` as the place to start again;
 * - `state` equal to the one this session sent, 400 `invalid_state`;
 * - a provider `error` (provider-refusal.ts): the user's refusal (`access_denied`, ...) 403,
 *   any other word 400 `provider_error`: the browser can put anything in this URL, so it is
 *   never a 5xx;
 * - a `code`, 400 `invalid_request`.
 * grant would check some of this too, but answers with a redirect to `/?error=...`.
 */
export function checkCallback(publicOrigin: string, providerId: string): Middleware {
  return async (ctx, next) => {
    const pending = (ctx.session as PendingSession | null)?.grant;
    if (!pending?.state || !pending.nonce || pending.provider !== providerId) {
      throw new SignInError(
        400,
        'invalid_state',
        'no_pending_sign_in',
        `no sign-in is in progress in this browser session; start again at ${publicOrigin}/ (a sign-in started at any other address, such as 127.0.0.1 for localhost, cannot finish here)`,
      );
    }
    const { state, error, code } = ctx.query;
    if (typeof state !== 'string' || !sameString(state, pending.state)) {
      throw new SignInError(
        400,
        'invalid_state',
        'state_mismatch',
        'the sign-in response does not belong to this browser session',
      );
    }
    if (error !== undefined) throw authorizationRefusal(error);
    if (typeof code !== 'string' || code.length === 0) {
      throw new SignInError(400, 'invalid_request', 'missing_code', 'the provider sent no code');
    }
    // The nonce as this session sent it, before grant rewrites the session on the callback.
    ctx.state.expectedNonce = pending.nonce;
    await next();
  };
}
