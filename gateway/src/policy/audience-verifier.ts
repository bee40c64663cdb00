import { type AccessTokenClaims, TokenError, type TokenVerifier } from '@gatehouse/shared';

/**
 * The gateway's one verifier (one key set, one revocation feed, one cache) accepts two
 * audiences: the APIs' (JWT_AUDIENCE) for Bearer tokens and its own for the gateway pass. This
 * narrows it to one, so a pass is never taken as a Bearer token and an API token never as a
 * pass. Refused: `wrong_audience`, as the verifier itself would.
 */
export function audienceVerifier(
  verifier: () => Pick<TokenVerifier, 'verify'>,
  audience: string,
): Pick<TokenVerifier, 'verify'> {
  return {
    async verify(token) {
      const claims = await verifier().verify(token);
      if (!hasAudience(claims, audience)) {
        throw new TokenError('wrong_audience', 'the token is not meant for this audience');
      }
      return claims;
    },
  };
}

function hasAudience(claims: AccessTokenClaims, audience: string): boolean {
  return typeof claims.aud === 'string' ? claims.aud === audience : claims.aud.includes(audience);
}
