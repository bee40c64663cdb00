import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { jwkThumbprint } from './jwk-thumbprint.js';
import { algForKey, isSigningAlg, MIN_RSA_BITS, type SigningAlg } from './signing-alg.js';

/** The members a published key may carry; everything else (d, p, q, dp, dq, qi, k) stays home. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use'] as const;

/** A signing key as the service holds it: the private JWK and its public half, both with kid. */
export interface SigningKey {
  /** RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly privateJwk: Readonly<JWK>;
  readonly publicJwk: Readonly<JWK>;
}

/** A malformed key: the message names the member at fault. */
export class SigningKeyError extends Error {
  readonly code = 'ERR_SIGNING_KEY';
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

/** Wraps a freshly generated private key. */
export function signingKeyFromKeyObject(key: KeyObject, alg: SigningAlg): SigningKey {
  return parsePrivateJwk({ ...key.export({ format: 'jwk' }), alg });
}

/**
 * Validates a private JWK from a file or SIGNING_KEYS and derives kid and the public JWK.
 * Refuses symmetric and public-only keys, curves and algorithms we do not sign with, short RSA
 * moduli, a `kid` that is not the thumbprint, and public members that do not match `d`.
 */
export function parsePrivateJwk(input: unknown): SigningKey {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SigningKeyError('must be a JSON object (a private JWK)');
  }
  const jwk = input as Record<string, unknown>;
  if (jwk.kty !== 'EC' && jwk.kty !== 'OKP' && jwk.kty !== 'RSA') {
    throw new SigningKeyError(`"kty" must be "EC", "OKP" or "RSA" (got ${show(jwk.kty)})`);
  }
  const implied = algForKey(jwk.kty, jwk.crv);
  if (!implied) {
    throw new SigningKeyError(
      `"crv" must be "P-256" for EC or "Ed25519" for OKP (got ${show(jwk.crv)})`,
    );
  }
  if (jwk.alg !== undefined && (!isSigningAlg(jwk.alg) || jwk.alg !== implied)) {
    throw new SigningKeyError(`"alg" must be "${implied}" for this key (got ${show(jwk.alg)})`);
  }
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new SigningKeyError(`"use" must be "sig" (got ${show(jwk.use)})`);
  }
  if (typeof jwk.d !== 'string') {
    throw new SigningKeyError('"d" is missing: this is a public key, a private key is needed');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk as JWK & { kty: string }, format: 'jwk' });
  } catch (err) {
    throw new SigningKeyError(`is not a valid ${jwk.kty} private key (${(err as Error).message})`);
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength;
  if (jwk.kty === 'RSA' && (bits ?? 0) < MIN_RSA_BITS) {
    throw new SigningKeyError(`"n" must be at least ${MIN_RSA_BITS} bits (got ${bits})`);
  }
  const derived = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  for (const member of ['x', 'y', 'n', 'e'] as const) {
    if (jwk[member] !== undefined && jwk[member] !== derived[member]) {
      throw new SigningKeyError(`"${member}" does not match the private key "d"`);
    }
  }
  // Node takes x/y from the JWK as given; only a signature shows they belong to `d`.
  const probe = Buffer.from('gatehouse signing key check');
  const digest = jwk.kty === 'OKP' ? null : 'sha256';
  if (!verify(digest, probe, createPublicKey(privateKey), sign(digest, probe, privateKey))) {
    throw new SigningKeyError('"d" does not belong to the public members of this key');
  }
  const kid = jwkThumbprint(derived);
  if (jwk.kid !== undefined && jwk.kid !== kid) {
    throw new SigningKeyError(
      `"kid" must be the key's RFC 7638 thumbprint "${kid}" or be left out (got ${show(jwk.kid)})`,
    );
  }
  const tags = { kid, alg: implied, use: 'sig' };
  return Object.freeze({
    kid,
    alg: implied,
    privateJwk: Object.freeze({ ...(privateKey.export({ format: 'jwk' }) as JWK), ...tags }),
    publicJwk: Object.freeze(toPublicJwk({ ...derived, ...tags })),
  });
}

/** Copies only the public members, whatever the input carries. */
function toPublicJwk(jwk: JWK): JWK {
  const out: Record<string, unknown> = {};
  for (const member of PUBLIC_MEMBERS) if (jwk[member] !== undefined) out[member] = jwk[member];
  return out as JWK;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
