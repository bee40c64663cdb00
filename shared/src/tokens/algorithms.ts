/**
 * Asymmetric JWS algorithms a verifier may accept. `none` and the HMAC family are absent on
 * purpose: with a public JWKS, an HS256 "signature" made with the public key would verify.
 *
 * @example
 * z.enum(ASYMMETRIC_ALGORITHMS); // a config schema for an algorithm allowlist
 */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

/** One of ASYMMETRIC_ALGORITHMS, e.g. `'ES256'`. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/**
 * The algorithms Gatehouse signs with (auth-service `JWT_ALG`); the verifier default.
 *
 * @example
 * createTokenVerifier({ jwksUrl, issuer, audience, algorithms: DEFAULT_ALGORITHMS });
 */
export const DEFAULT_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['ES256', 'EdDSA', 'RS256'];

export function isAsymmetricAlgorithm(value: string): value is AsymmetricAlgorithm {
  return (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * The algorithm a JWK without `alg` is meant for, from its key type and curve, or undefined
 * when it cannot be told (RSA keys could be RS* or PS*; RS256 is the JWKS convention).
 */
export function algorithmForJwk(jwk: { kty?: unknown; crv?: unknown }): string | undefined {
  if (jwk.kty === 'EC') {
    return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[String(jwk.crv)];
  }
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'RSA') return 'RS256';
  return undefined;
}
