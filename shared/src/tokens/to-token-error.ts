import { isTokenError, TokenError } from './token-error.js';

/** Claims whose names may appear in a description: ours, never one taken from the token. */
const KNOWN_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'sub', 'jti', 'typ']);

/**
 * Maps whatever verification threw to a TokenError. jose errors are recognised by their
 * stable `code`; anything else becomes `malformed`, because a hostile token must never turn
 * into a 5xx. Descriptions are fixed strings (no token content, no double quotes), safe for a
 * `WWW-Authenticate` header and for logs.
 */
export function toTokenError(err: unknown): TokenError {
  if (isTokenError(err)) return err;
  const { code, claim, reason } = (err ?? {}) as { code?: string; claim?: string; reason?: string };
  const options = { cause: err };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new TokenError('expired', 'the token has expired', options);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new TokenError('alg_not_allowed', 'the token algorithm is not accepted', options);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new TokenError('bad_signature', 'the token signature is invalid', options);
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new TokenError('crit_not_supported', 'the token uses unsupported features', options);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimError(claim, reason, options);
    default:
      return new TokenError('malformed', 'the token is malformed', options);
  }
}

function claimError(
  claim: string | undefined,
  reason: string | undefined,
  options: { cause: unknown },
): TokenError {
  const name = claim !== undefined && KNOWN_CLAIMS.has(claim) ? claim : 'a required';
  if (reason === 'missing') {
    return new TokenError('missing_claim', `the token lacks the ${name} claim`, options);
  }
  switch (claim) {
    case 'iss':
      return new TokenError('wrong_issuer', 'the token issuer is not accepted', options);
    case 'aud':
      return new TokenError('wrong_audience', 'the token is not meant for this audience', options);
    case 'nbf':
      return new TokenError('not_yet_valid', 'the token is not valid yet', options);
    case 'typ':
      return new TokenError('typ_not_accepted', 'the token is not an access token', options);
    default:
      return new TokenError('invalid_claim', `the token has an invalid ${name} claim`, options);
  }
}
