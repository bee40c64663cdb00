import { importJWK, type CryptoKey, type JWK } from 'jose';
import { algorithmForJwk } from './algorithms.js';

/** One usable verification key from the JWKS. */
export interface KeyEntry {
  readonly kid: string;
  readonly alg: string;
  readonly key: CryptoKey | Uint8Array;
}

export type KeySet = ReadonlyMap<string, KeyEntry>;

/**
 * Imports the verification keys of a JWKS document. Throws when the document is not a JWKS at
 * all (the previous set stays in use); skips single keys that are unusable here: no `kid`, not
 * for signatures, an algorithm outside the allowlist, private material, or an import failure.
 * A document with no usable key is still a valid answer: every key was withdrawn.
 */
export async function importKeySet(
  document: unknown,
  algorithms: readonly string[],
  warn: (message: string, data: Record<string, unknown>) => void = () => {},
): Promise<KeySet> {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('the JWKS document has no "keys" array');
  const entries = new Map<string, KeyEntry>();
  for (const jwk of keys as Record<string, unknown>[]) {
    const problem = unusable(jwk, algorithms);
    if (problem) {
      warn('JWKS key skipped', {
        kid: typeof jwk?.kid === 'string' ? jwk.kid : undefined,
        problem,
      });
      continue;
    }
    const kid = jwk.kid as string;
    const alg = (jwk.alg as string | undefined) ?? (algorithmForJwk(jwk) as string);
    try {
      entries.set(kid, { kid, alg, key: await importJWK({ ...(jwk as JWK), ext: true }, alg) });
    } catch (err) {
      warn('JWKS key skipped', {
        kid,
        problem: err instanceof Error ? err.message : 'import failed',
      });
    }
  }
  return entries;
}

function unusable(jwk: Record<string, unknown>, algorithms: readonly string[]): string | undefined {
  if (jwk === null || typeof jwk !== 'object') return 'not an object';
  if (typeof jwk.kid !== 'string' || jwk.kid === '') return 'no kid';
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'not a signing key';
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return 'not for verify';
  if ('d' in jwk || 'k' in jwk) return 'private or symmetric key material';
  const alg = typeof jwk.alg === 'string' ? jwk.alg : algorithmForJwk(jwk);
  if (alg === undefined) return 'unknown algorithm';
  if (!algorithms.includes(alg)) return `algorithm ${alg} not allowed`;
  return undefined;
}

/**
 * Seconds from a `Cache-Control` header: `max-age`, 0 for `no-store`/`no-cache`, undefined
 * when it says nothing about freshness.
 */
export function maxAgeOf(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  if (/(?:^|[,\s])no-(?:store|cache)\b/i.test(cacheControl)) return 0;
  const match = /(?:^|[,\s])max-age\s*=\s*"?(\d{1,10})"?/i.exec(cacheControl);
  return match ? Number(match[1]) : undefined;
}
