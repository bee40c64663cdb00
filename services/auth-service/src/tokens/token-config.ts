import type { SigningAlg } from '../keys/signing-alg.js';
import type { SigningKey } from '../keys/signing-key.js';

/** What tokens are issued with: the `tokens` part of the auth-service Config (config/token-env.ts). */
export interface TokenConfig {
  /** `PUBLIC_URL` + `/auth`: the `iss` of every access token. */
  readonly issuer: string;
  readonly audience: string;
  readonly alg: SigningAlg;
  /** Seconds. */
  readonly accessTokenTtl: number;
  /** Seconds a client credentials token lives; at most `accessTokenTtl`. */
  readonly clientTokenTtl: number;
  readonly clockSkew: number;
  readonly keyPublishDelay: number;
  /** `Cache-Control: max-age` of the JWKS and discovery document, below the publish delay. */
  readonly jwksMaxAge: number;
  /** Requests a minute per client IP; 0 is off. */
  readonly rateLimit: number;
  /** From SIGNING_KEYS; undefined means keys live under DATA_DIR/keys. */
  readonly signingKeys: readonly SigningKey[] | undefined;
}
