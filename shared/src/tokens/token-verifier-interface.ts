import type { AccessTokenClaims } from './access-token-claims.js';
import type { RevocationFeedStatus } from './revocation-follower.js';

/**
 * Verifies Gatehouse access tokens; one per process (it owns the JWKS cache).
 *
 * @example
 * const readiness = createReadiness({ jwks: () => verifier.ready() });
 */
export interface TokenVerifier {
  /** The token's claims, or a TokenError (401 `invalid_token`, 503 `temporarily_unavailable`). */
  verify(token: string): Promise<AccessTokenClaims>;
  /** Resolves while a usable JWKS is held (fetching it if needed), rejects otherwise: `/readyz`. */
  ready(): Promise<void>;
  /** The revocation feed's state for `/readyz` details; undefined with revocation off (or before discovery). */
  revocations(): RevocationFeedStatus | undefined;
  /** Stops polling the revocation feed (the timer never keeps the process alive anyway). */
  close(): void;
  stats(): {
    jwksFetches: number;
    jwksFailures: number;
    keys: number;
    jwksFetchedAt: number | undefined;
    cachedTokens: number;
  };
}
