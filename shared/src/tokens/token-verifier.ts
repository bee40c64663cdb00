import {
  decodeProtectedHeader,
  jwtVerify,
  type JWSAlgorithm,
  type JWTVerifyOptions,
  type ProtectedHeaderParameters,
} from 'jose';
import { toAccessTokenClaims, type AccessTokenClaims } from './access-token-claims.js';
import { isCanonicalBase64url } from './canonical-base64url.js';
import { createDiscoveringVerifier } from './discovering-verifier.js';
import { isLowS } from './ecdsa-low-s.js';
import { createJwksCache } from './jwks-cache.js';
import { createRevocationFollower } from './revocation-follower.js';
import { toTokenError } from './to-token-error.js';
import { TokenError } from './token-error.js';
import {
  resolveVerifierOptions,
  type ResolvedVerifierOptions,
  type TokenVerifierOptions,
} from './token-verifier-options.js';
import type { TokenVerifier } from './token-verifier-interface.js';
import { createVerifiedTokenCache } from './verified-token-cache.js';

export type { TokenVerifier } from './token-verifier-interface.js';

const ACCESS_TOKEN_TYP = 'application/at+jwt';
/** Three base64url segments: the only shape a JWS compact serialization can have. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const normalizeTyp = (typ: string) =>
  (typ.includes('/') ? typ : `application/${typ}`).toLowerCase();

/**
 * Builds a verifier for RFC 9068 access tokens. Enforces, in order:
 * - a length bound before any parsing, then the shape of a compact JWS, each segment in its
 *   one canonical base64url spelling (with the low-S rule below, a token accepted is the very
 *   string that was issued);
 * - no `crit` header, `typ` exactly `at+jwt`, a `kid` (`jku`, `x5u`, `jwk` are never looked at);
 * - the algorithm allowlist (never `none`, never HMAC) and a key whose algorithm matches;
 * - the signature, and for ECDSA its low-S form (ecdsa-low-s.ts; Ed25519 with S < L and RSA
 *   PKCS#1 v1.5 signatures have one form already), then `iss`, `aud`, `exp`, `nbf`, `iat`
 *   (not in the future) with the clock tolerance, and `exp`, `iat`, `sub`, `jti` present and
 *   well typed;
 * - unless `revocationsUrl: false`, no revocation of its `sid`, `sub` or `jti` at or after its
 *   `iat` (`revoked`), checked on every call, cached or not: the feed is followed in the
 *   background, so this is a Map lookup;
 * - `jwksUrl` and `revocationsUrl` left unset come from the issuer's metadata, read once;
 *   until it is read (or when it names no revocation feed) tokens get 503, never a pass.
 *
 * @example
 * const verifier = createTokenVerifier({
 *   issuer: 'http://localhost:8080/auth',
 *   audience: 'gatehouse-api',
 * });
 * const claims = await verifier.verify(bearerToken); // throws TokenError
 * console.log(claims.sub, claims.roles);
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const config = resolveVerifierOptions(options);
  if (config.discoveryUrl === undefined) {
    return createKnownVerifier(config, config.jwksUrl!, config.revocationsUrl || undefined);
  }
  return createDiscoveringVerifier(config, config.discoveryUrl, (jwksUrl, revocationsUrl) =>
    createKnownVerifier(config, jwksUrl, revocationsUrl),
  );
}

function createKnownVerifier(
  config: ResolvedVerifierOptions,
  jwksUrl: string,
  revocationsUrl: string | undefined,
): TokenVerifier {
  const { now, clockTolerance } = config;
  const jwks = createJwksCache({
    url: jwksUrl,
    algorithms: config.algorithms,
    fetch: config.fetch,
    now,
    maxAgeSeconds: config.jwksCacheMaxAge,
    minAgeSeconds: config.jwksCacheMinAge,
    maxStaleSeconds: config.jwksMaxStale,
    cooldownSeconds: config.jwksRefetchCooldown,
    coldRetrySeconds: 1,
    timeoutMs: config.jwksTimeoutMs,
    maxBytes: 256 * 1024,
    logger: config.logger,
  });
  const cache = createVerifiedTokenCache(config.tokenCacheSize);
  const follower =
    revocationsUrl === undefined
      ? undefined
      : createRevocationFollower({
          url: revocationsUrl,
          intervalMs: config.revocationPollInterval,
          maxEntries: config.revocationMaxEntries,
          clockTolerance,
          timeoutMs: config.jwksTimeoutMs,
          fetch: config.fetch,
          now,
          logger: config.logger,
        });
  const checkRevoked = (claims: AccessTokenClaims): AccessTokenClaims => {
    if (follower?.isRevoked(claims)) {
      throw new TokenError('revoked', 'the token has been revoked');
    }
    return claims;
  };
  const isKeyCurrent = (kid: string) => jwks.isCurrent(kid);
  const baseJoseOptions: JWTVerifyOptions = {
    algorithms: config.algorithms as JWSAlgorithm[],
    issuer: config.issuer,
    audience: config.audience,
    typ: 'at+jwt',
    clockTolerance,
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  };

  async function verifyUncached(token: string, header: ProtectedHeaderParameters, kid: string) {
    const joseOptions = { ...baseJoseOptions, currentDate: new Date(now()) };
    const { payload } = await jwtVerify(
      token,
      async () => {
        const entry = await jwks.getKey(kid);
        if (entry.alg !== header.alg) {
          throw new TokenError('key_mismatch', 'the token algorithm does not match its key');
        }
        return entry.key;
      },
      joseOptions,
    );
    // (r, n - s) verifies as well as (r, s): only the low-S twin, the one issued, is taken.
    // Judged once the key matched the algorithm, so a 64-byte Ed25519 signature under an
    // ES256 header is a key mismatch, not a malformed token.
    const signature = Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url');
    if (!isLowS(header.alg, signature)) {
      throw new TokenError('malformed', 'the token is malformed');
    }
    if (typeof payload.iat === 'number' && payload.iat > now() / 1000 + clockTolerance) {
      throw new TokenError('issued_in_future', 'the token is issued in the future');
    }
    return toAccessTokenClaims(payload);
  }

  return {
    async verify(token) {
      if (typeof token !== 'string' || token === '') {
        throw new TokenError('malformed', 'the token is malformed');
      }
      if (token.length > config.maxTokenLength) {
        throw new TokenError('too_long', 'the token is too long');
      }
      const cached = cache.get(token, now(), isKeyCurrent);
      if (cached) return checkRevoked(cached);
      try {
        if (!COMPACT_JWS.test(token) || !token.split('.').every(isCanonicalBase64url)) {
          throw new TokenError('malformed', 'the token is malformed');
        }
        const header = checkHeader(token);
        const claims = await verifyUncached(token, header, header.kid as string);
        cache.set(token, header.kid as string, claims, (claims.exp + clockTolerance) * 1000);
        return checkRevoked(claims);
      } catch (err) {
        throw toTokenError(err);
      }
    },
    ready: () => jwks.ensureLoaded(),
    revocations: () => follower?.status(),
    close: () => follower?.stop(),
    stats() {
      const keys = jwks.stats();
      return {
        jwksFetches: keys.fetches,
        jwksFailures: keys.failures,
        keys: keys.keys,
        jwksFetchedAt: keys.fetchedAt,
        cachedTokens: cache.size,
      };
    },
  };
}

/** Header checks that need no key: a token refused here never reaches the JWKS cache. */
function checkHeader(token: string): ProtectedHeaderParameters {
  const header = decodeProtectedHeader(token);
  if (header.crit !== undefined) {
    throw new TokenError('crit_not_supported', 'the token uses unsupported features');
  }
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== ACCESS_TOKEN_TYP) {
    throw new TokenError('typ_not_accepted', 'the token is not an access token');
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new TokenError('unknown_kid', 'the token names no signing key');
  }
  return header;
}
