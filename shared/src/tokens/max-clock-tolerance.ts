/**
 * The most clock tolerance (seconds) a Gatehouse verifier allows on `exp`, `nbf` and `iat`;
 * `createTokenVerifier` refuses more. An issuer keeps what concerns a token (a revocation, a
 * retired key) published this long past the token's `exp`, since until then some verifier may
 * still accept it.
 *
 * @example
 * const forgetAt = (tokenExpSeconds + MAX_CLOCK_TOLERANCE_SECONDS) * 1000;
 */
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
