import { HttpError } from '../errors/http-error.js';
import type { AccessTokenClaims } from '../tokens/access-token-claims.js';
import { isTokenError } from '../tokens/token-error.js';
import type { TokenVerifier } from '../tokens/token-verifier.js';
import { bearerChallenge } from './bearer-challenge.js';

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
 * The verified claims of a request's `Authorization` header, for every framework adapter.
 * Enforces:
 * - `Bearer <token>` only (never a query string or a cookie); a token that is not a compact
 *   JWS (RFC 6750 b64token subset) is refused by the verifier as malformed;
 * - no Bearer credential: 401 `unauthorized` with the plain challenge `Bearer realm="..."`;
 * - a bad token: 401 `invalid_token` with `error` and `error_description` in the challenge;
 * - no usable key set or issuer metadata: 503 `temporarily_unavailable` with `Retry-After`,
 *   never a 401 the client would act on.
 * Throws an HttpError carrying those headers; `onUnexpected` hears of errors the verifier did
 * not classify (still a 401: a hostile token must never produce a 5xx).
 *
 * @example
 * const claims = await authenticateBearer(verifier, req.headers.authorization, { realm: 'gatehouse' });
 */
export async function authenticateBearer(
  verifier: Pick<TokenVerifier, 'verify'>,
  authorization: string | undefined,
  options: { realm: string; onUnexpected?: (err: unknown) => void },
): Promise<AccessTokenClaims> {
  const { realm } = options;
  const token = bearerCredential(authorization ?? '');
  if (token === undefined) {
    throw new HttpError(401, 'unauthorized', 'a Bearer access token is required', {
      headers: { 'WWW-Authenticate': bearerChallenge({ realm }) },
    });
  }
  try {
    return await verifier.verify(token);
  } catch (err) {
    if (!isTokenError(err) && !(err instanceof HttpError)) options.onUnexpected?.(err);
    throw toHttpError(err, realm);
  }
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
