import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** The JWS algorithms the auth-service signs access tokens with. */
export const SIGNING_ALGS = ['ES256', 'EdDSA', 'RS256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** What a private JWK must look like to sign with each algorithm. */
const KEY_SHAPES: Record<SigningAlg, { kty: string; crv?: string }> = {
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  RS256: { kty: 'RSA' },
};

/**
 * The digest node:crypto `sign` and `verify` take for each algorithm (RFC 7518 section 3,
 * RFC 8037: Ed25519 hashes internally, hence none).
 */
export const SIGNING_DIGESTS: Record<SigningAlg, string | null> = {
  ES256: 'sha256',
  RS256: 'sha256',
  EdDSA: null,
};

/** RSA keys shorter than this are refused (NIST SP 800-57: 2048 bits until 2030). */
export const MIN_RSA_BITS = 2048;

export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === 'string' && (SIGNING_ALGS as readonly string[]).includes(value);
}

/** The algorithm a key's type and curve imply, or undefined when none of ours fits. */
export function algForKey(kty: unknown, crv: unknown): SigningAlg | undefined {
  return SIGNING_ALGS.find(
    (alg) => KEY_SHAPES[alg].kty === kty && (KEY_SHAPES[alg].crv ?? crv) === crv,
  );
}

/** A fresh private key for `alg`. Synchronous so start-up and the CLI stay simple. */
export function generatePrivateKey(alg: SigningAlg): KeyObject {
  switch (alg) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
    case 'RS256':
      return generateKeyPairSync('rsa', { modulusLength: MIN_RSA_BITS }).privateKey;
  }
}
