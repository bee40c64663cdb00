import type { Middleware } from 'koa';
import { HttpError } from '../errors/http-error.js';
import type { AccessTokenClaims } from '../tokens/access-token-claims.js';
import { isTokenError } from '../tokens/token-error.js';
import type { TokenVerifier } from '../tokens/token-verifier.js';
import { assertChallengeSafe, bearerChallenge, DEFAULT_REALM } from './bearer-challenge.js';
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
 * The credential after a `Bearer` scheme (case-insensitive), or undefined for another scheme.
 * Its characters are checked by the verifier on a cache miss, keeping this hot path free of a
 * regular expression over the whole token.
 */
function bearerCredential(header: string): string | undefined {
  // Leading whitespace is not part of a field value (RFC 9110 5.5); not every parser strips it.
  const authorization = header.trimStart();
  if (authorization.length < 6 || authorization.slice(0, 6).toLowerCase() !== 'bearer') {
    return undefined;
  }
  if (authorization.length > 6 && authorization[6] !== ' ') return undefined;
  return authorization.slice(7).trim();
}

/**
 * Protects the routes after it with a Gatehouse access token. Enforces:
 * - `Authorization: Bearer <token>` only (never a query string or a cookie); a token that is
 *   not a compact JWS (RFC 6750 b64token subset) is refused by the verifier as malformed;
 * - no Bearer credential: 401 with the plain challenge `Bearer realm="gatehouse"`;
 * - a bad token: 401 `invalid_token` with `error` and `error_description` in the challenge;
 * - no usable key set (none ever obtained, or the last one older than the staleness bound):
 *   503 `temporarily_unavailable`, never a 401 the client would act on;
 * - on success, the verified claims on `ctx.state.auth`.
 * Needs the shared `errorHandler` before it to render the errors.
 *
 * @example
 * const verifier = createTokenVerifier({ jwksUrl, issuer, audience });
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
    const token = bearerCredential(ctx.req.headers.authorization ?? '');
    if (token === undefined) {
      throw new HttpError(401, 'unauthorized', 'a Bearer access token is required', {
        headers: { 'WWW-Authenticate': bearerChallenge({ realm }) },
      });
    }
    try {
      ctx.state.auth = await verifier.verify(token);
    } catch (err) {
      if (!isTokenError(err) && !(err instanceof HttpError)) {
        // Still a 401 (a hostile token must never produce a 5xx), but an error the verifier
        // did not classify may be a bug: make it visible above the debug level of 4xx.
        (ctx.state as Partial<RequestState>).log?.warn(
          { err },
          'token verification failed unexpectedly',
        );
      }
      throw toHttpError(err, realm);
    }
    await next();
  };
}

function toHttpError(err: unknown, realm: string): HttpError {
  if (isTokenError(err) && err.status === 503) {
    return new HttpError(503, err.code, err.description, {
      cause: err,
      headers: { 'Retry-After': '5' },
    });
  }
  const description =
    isTokenError(err) || err instanceof HttpError ? err.description : 'the token is invalid';
  return new HttpError(401, 'invalid_token', description, {
    cause: err,
    headers: {
      'WWW-Authenticate': bearerChallenge({ realm, error: 'invalid_token', description }),
    },
  });
}
