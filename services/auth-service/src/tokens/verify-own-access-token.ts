import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { TokenConfig } from '../config/token-env.js';
import type { KeyStore } from '../keys/key-store.js';

/** The claims of an access token this service signed and that has not expired (see `clockTolerance`). */
export interface OwnAccessTokenClaims extends JWTPayload {
  readonly sub: string;
  readonly jti: string;
  readonly iat: number;
  readonly exp: number;
  readonly client_id?: string;
  readonly sid?: string;
  readonly scope?: string;
}

/**
 * Verifies an access token as our own verifiers do (revocation and introspection): against the
 * keys we publish now, pinning `typ` `at+jwt`, the published algorithms, `iss`, `aud`, and
 * requiring `exp`, `iat`, `sub`, `jti`. No clock tolerance by default, since the clock is ours
 * (introspection); revocation passes MAX_CLOCK_TOLERANCE_SECONDS, as a token just past `exp`
 * is still accepted by verifiers that allow skew. Anything else (a refresh token, a foreign or
 * expired JWT) is undefined, never an error.
 *
 * @example
 * const verify = createOwnTokenVerifier({ tokens: config.tokens, keyStore, now });
 * const verifyRevocable = createOwnTokenVerifier({ ..., clockTolerance: MAX_CLOCK_TOLERANCE_SECONDS });
 * const claims = await verify(form.get('token')!); // undefined unless ours and live
 */
export function createOwnTokenVerifier(options: {
  tokens: Pick<TokenConfig, 'issuer' | 'audience'>;
  keyStore: Pick<KeyStore, 'publication'>;
  now: () => number;
  /** Seconds a token is still taken after its `exp`; default 0. */
  clockTolerance?: number;
}) {
  let etag = '';
  let keys: JWTVerifyGetKey | undefined;
  return async (token: string): Promise<OwnAccessTokenClaims | undefined> => {
    if (token.split('.').length !== 3) return undefined;
    const publication = options.keyStore.publication();
    if (publication.etag !== etag || !keys) {
      keys = createLocalJWKSet(JSON.parse(publication.body));
      etag = publication.etag;
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.tokens.issuer,
        audience: options.tokens.audience,
        algorithms: [...publication.algorithms],
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        currentDate: new Date(options.now()),
        clockTolerance: options.clockTolerance ?? 0,
      });
      return payload as OwnAccessTokenClaims;
    } catch {
      return undefined;
    }
  };
}

export type OwnTokenVerifier = ReturnType<typeof createOwnTokenVerifier>;
