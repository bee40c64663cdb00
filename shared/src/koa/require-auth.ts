import type { Middleware } from 'koa';
import { authenticateBearer } from '../bearer/authenticate-bearer.js';
import { assertChallengeSafe, DEFAULT_REALM } from '../bearer/bearer-challenge.js';
import type { AccessTokenClaims } from '../tokens/access-token-claims.js';
import type { TokenVerifier } from '../tokens/token-verifier.js';
import type { RequestState } from './request-context.js';

/**
 * What `requireAuth` puts on `ctx.state`.
 *
 * @example
 * const app = new Koa<AuthState>(); // ctx.state.auth is typed in every middleware
 */
export interface AuthState {
  auth: AccessTokenClaims;
}

/**
 * Protects the routes after it with a Gatehouse access token. Enforces:
 * - `Authorization: Bearer <token>` only (never a query string or a cookie); a token that is
 *   not a compact JWS (RFC 6750 b64token subset) is refused by the verifier as malformed;
 * - no Bearer credential: 401 with the plain challenge `Bearer realm="gatehouse"`;
 * - a bad token: 401 `invalid_token` with `error` and `error_description` in the challenge;
 * - no usable key set (none ever obtained, the last one older than the staleness bound, or the
 *   issuer metadata unread): 503 `temporarily_unavailable`, never a 401 the client would act on;
 * - on success, the verified claims on `ctx.state.auth`.
 * Needs the shared `errorHandler` before it to render the errors.
 *
 * @example
 * const verifier = createTokenVerifier({ issuer, audience });
 * router.get('/api/me', requireAuth(verifier), (ctx) => {
 *   ctx.body = { sub: ctx.state.auth.sub };
 * });
 */
export function requireAuth(
  verifier: Pick<TokenVerifier, 'verify'>,
  options: { realm?: string } = {},
): Middleware<AuthState> {
  const realm = options.realm ?? DEFAULT_REALM;
  assertChallengeSafe('requireAuth "realm"', realm);
  return async (ctx, next) => {
    ctx.state.auth = await authenticateBearer(verifier, ctx.req.headers.authorization, {
      realm,
      // Make a verifier bug visible above the debug level of 4xx.
      onUnexpected: (err) =>
        (ctx.state as Partial<RequestState>).log?.warn(
          { err },
          'token verification failed unexpectedly',
        ),
    });
    await next();
  };
}
