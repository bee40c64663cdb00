import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Where the gateway publishes the assertion keys; the issuer metadata names it `assertion_jwks_uri`. */
export const ASSERTION_JWKS_PATH = '/.well-known/gatehouse-assertion-jwks.json';

export interface AssertionKey {
  readonly kid: string;
  readonly alg: 'ES256' | 'EdDSA';
  readonly privateKey: KeyObject;
  /** The public JWK as published. */
  readonly jwk: Readonly<Record<string, unknown>>;
}

/** The keys of the assertion: the first signs, all are published (rotation). */
export interface AssertionKeys {
  readonly signing: AssertionKey;
  readonly jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] };
  /** True for a key generated at start-up: fine for one gateway, wrong for several. */
  readonly generated: boolean;
}

/**
 * The assertion keys: from ASSERTION_KEYS_FILE (a JWK Set of private EC P-256 or Ed25519
 * keys, newest first, shared by every gateway replica) or, without it, one ES256 key
 * generated in memory at start-up. Rotation without downtime: add the new key second (it is
 * published, not used), roll the gateways, wait for verifiers' JWKS caches (5 minutes), move
 * it first, roll again; drop the old key once 60 s (the assertion lifetime) have passed.
 * Throws with a message naming the file when a key is unusable.
 */
export function loadAssertionKeys(file: string | undefined): AssertionKeys {
  if (file === undefined) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = toAssertionKey(privateKey);
    return { signing: key, jwks: { keys: [key.jwk] }, generated: true };
  }
  let parsed: { keys?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: unknown };
  } catch (err) {
    throw new Error(
      `ASSERTION_KEYS_FILE ${file} is not a readable JSON file (${(err as Error).message})`,
      {
        cause: err,
      },
    );
  }
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0) {
    throw new Error(
      `ASSERTION_KEYS_FILE ${file} must be a JWK Set with at least one private key: {"keys": [...]}`,
    );
  }
  const keys = parsed.keys.map((jwk: unknown, i) => {
    try {
      return toAssertionKey(createPrivateKey({ key: jwk as never, format: 'jwk' }));
    } catch (err) {
      throw new Error(`ASSERTION_KEYS_FILE ${file} keys[${i}]: ${(err as Error).message}`, {
        cause: err,
      });
    }
  });
  return { signing: keys[0]!, jwks: { keys: keys.map((k) => k.jwk) }, generated: false };
}

function toAssertionKey(privateKey: KeyObject): AssertionKey {
  const type = privateKey.asymmetricKeyType;
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  const alg =
    type === 'ec' && curve === 'prime256v1' ? 'ES256' : type === 'ed25519' ? 'EdDSA' : undefined;
  if (alg === undefined)
    throw new Error('only EC P-256 (ES256) and Ed25519 (EdDSA) private keys are accepted');
  // Only the public members are copied out: `d` never leaves this function.
  const pub = privateKey.export({ format: 'jwk' });
  const members =
    alg === 'ES256'
      ? { crv: pub.crv, kty: pub.kty, x: pub.x, y: pub.y }
      : { crv: pub.crv, kty: pub.kty, x: pub.x };
  // RFC 7638 thumbprint: the same key gets the same kid on every replica.
  const kid = createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  return { kid, alg, privateKey, jwk: Object.freeze({ ...members, kid, alg, use: 'sig' }) };
}
