import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'oidc-provider';

/** Key material that lives only as long as the process. */
export interface DevKeys {
  /** The RS256 id_token signing key, private parts included (oidc-provider publishes the public half). */
  signingKey: JWK;
  /** Cookie-signing secrets for oidc-provider's session and interaction cookies. */
  cookieKeys: string[];
}

/**
 * Fresh keys at every start. A development provider has nothing worth persisting: tokens it
 * issued before a restart simply stop verifying, and the relying party signs in again.
 */
export function generateDevKeys(): DevKeys {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    signingKey: {
      ...jwk,
      kid: `dev-${randomBytes(6).toString('base64url')}`,
      alg: 'RS256',
      use: 'sig',
    } as JWK,
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}
