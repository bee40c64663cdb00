import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { isLowS } from '@gatehouse/shared';
import type { JWK, JWTPayload } from 'jose';
import type { TokenConfig } from './token-config.js';
import type { KeyStore } from '../keys/key-store.js';
import { isSigningAlg, SIGNING_DIGESTS, type SigningAlg } from '../keys/signing-alg.js';

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

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Verified tokens remembered (about 600 bytes each), oldest dropped first. */
const VERIFIED_CACHE_SIZE = 4096;

/**
 * Verifies an access token as our own verifiers do (revocation and introspection): against the
 * keys we publish now, pinning `typ` `at+jwt`, the published algorithms (and the named key's
 * own), `iss`, `aud`, and requiring `exp`, `iat`, `sub`, `jti` (and a future `exp`, a past
 * `nbf` when present). No clock tolerance by default, since the clock is ours (introspection);
 * revocation passes MAX_CLOCK_TOLERANCE_SECONDS, as a token just past `exp` is still accepted
 * by verifiers that allow skew. Every segment must be canonical base64url and an ES256
 * signature low-S, so only the very token we signed passes. Anything else (a refresh token, a
 * foreign or expired JWT) is undefined, never an error.
 *
 * Signatures are checked with node:crypto on public keys imported once per published key set:
 * these are our own tokens, in the one shape our issuer writes (tokens/sign-compact-jwt.ts).
 * A token whose signature checked out is remembered by its exact text until the published key
 * set changes (a resource server introspects the same token on every call); its lifetime
 * claims are judged again on every call, and revocation, client and user are the caller's,
 * checked every time.
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
  const { tokens, now } = options;
  const tolerance = options.clockTolerance ?? 0;
  let etag = '';
  let keys = new Map<string, { alg: SigningAlg; key: KeyObject }>();
  // Tokens whose signature checked out against this key set, by their exact text.
  const verified = new Map<string, OwnAccessTokenClaims>();
  return async (token: string): Promise<OwnAccessTokenClaims | undefined> => {
    const publication = options.keyStore.publication();
    if (publication.etag !== etag) {
      keys = publishedKeys(publication.body, publication.algorithms);
      etag = publication.etag;
      verified.clear();
    }
    const nowSeconds = Math.floor(now() / 1000);
    const known = verified.get(token);
    if (known) return live(known, tokens, nowSeconds - tolerance) ? known : undefined;
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return undefined;
    const header = decodeSegment(parts[0]!);
    const signature = Buffer.from(parts[2]!, 'base64url');
    if (signature.toString('base64url') !== parts[2]) return undefined;
    if (!header || header.typ !== 'at+jwt' || typeof header.kid !== 'string') return undefined;
    const signer = keys.get(header.kid);
    if (!signer || header.alg !== signer.alg) return undefined;
    if (signer.alg === 'ES256' && (signature.length !== 64 || !isLowS('ES256', signature))) {
      return undefined;
    }
    const input = Buffer.from(`${parts[0]}.${parts[1]}`);
    const valid = verify(
      SIGNING_DIGESTS[signer.alg],
      input,
      { key: signer.key, dsaEncoding: 'ieee-p1363' },
      signature,
    );
    if (!valid) return undefined;
    const claims = decodeSegment(parts[1]!) as OwnAccessTokenClaims | undefined;
    if (!claims || !live(claims, tokens, nowSeconds - tolerance)) return undefined;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, claims);
    return claims;
  };
}

export type OwnTokenVerifier = ReturnType<typeof createOwnTokenVerifier>;

/** The published keys by kid, for the published algorithms only. */
function publishedKeys(body: string, algorithms: readonly SigningAlg[]) {
  const keys = new Map<string, { alg: SigningAlg; key: KeyObject }>();
  for (const jwk of (JSON.parse(body) as { keys: JWK[] }).keys) {
    if (typeof jwk.kid !== 'string' || !isSigningAlg(jwk.alg) || !algorithms.includes(jwk.alg)) {
      continue;
    }
    keys.set(jwk.kid, {
      alg: jwk.alg,
      key: createPublicKey({ key: jwk as JWK & { kty: string }, format: 'jwk' }),
    });
  }
  return keys;
}

/** A canonical base64url JSON object, or undefined. */
function decodeSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Ours (`iss`, `aud`), with every required claim, and valid at `nowSeconds`. */
function live(
  claims: Readonly<Record<string, unknown>>,
  tokens: Pick<TokenConfig, 'issuer' | 'audience'>,
  nowSeconds: number,
): boolean {
  const { iss, aud, exp, iat, nbf, sub, jti } = claims;
  const audiences = Array.isArray(aud) ? aud : [aud];
  return (
    iss === tokens.issuer &&
    audiences.includes(tokens.audience) &&
    typeof exp === 'number' &&
    nowSeconds < exp &&
    typeof iat === 'number' &&
    (nbf === undefined || (typeof nbf === 'number' && nbf <= nowSeconds)) &&
    typeof sub === 'string' &&
    typeof jti === 'string'
  );
}
