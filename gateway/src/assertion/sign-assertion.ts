import { randomUUID, sign } from 'node:crypto';
import type { AccessTokenClaims } from '@gatehouse/shared';
import type { AssertionKey } from './assertion-keys.js';

/** The assertion's `typ`: no access-token verifier accepts it (they pin `at+jwt`). */
export const ASSERTION_TYP = 'gatehouse-assertion+jwt';
/** Longest an assertion lives; it is made for one hop, verified on arrival. */
export const ASSERTION_TTL_SECONDS = 60;
/** Entries kept before the cache starts over: bounded memory under any traffic. */
const MAX_CACHED = 10_000;
/** A cached assertion is reused while it has at least this long left. */
const REUSE_MARGIN_SECONDS = 30;

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs the identity the gateway states to a route's upstream: a JWT with `typ`
 * `gatehouse-assertion+jwt`, `iss` the public origin, `aud` the route's name, the caller's
 * `sub`, `email`, `roles`, `scope`, `client_id`, a fresh `jti`, `iat`, and `exp` at most 60 s
 * ahead (never past the access token's own `exp`). Synchronous (node:crypto): one signature
 * per caller, route and half-minute, reused from a bounded cache in between.
 *
 * @example
 * const assert = assertionSigner({ key, issuer: 'https://app.example.com', now: Date.now });
 * req.headers['x-gatehouse-assertion'] = assert('reports', claims);
 */
export function assertionSigner(options: {
  key: AssertionKey;
  issuer: string;
  /** Epoch milliseconds. */
  now: () => number;
}): (route: string, claims: AccessTokenClaims) => string {
  const { key, issuer, now } = options;
  const header = b64({ alg: key.alg, kid: key.kid, typ: ASSERTION_TYP });
  const cache = new Map<string, { jwt: string; exp: number }>();
  return (route, claims) => {
    const at = Math.floor(now() / 1000);
    const cacheKey = `${route} ${claims.jti}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined && cached.exp - at >= REUSE_MARGIN_SECONDS) return cached.jwt;
    const exp = Math.min(at + ASSERTION_TTL_SECONDS, claims.exp);
    const payload = b64({
      iss: issuer,
      aud: route,
      sub: claims.sub,
      email: claims.email,
      roles: claims.roles,
      scope: claims.scope,
      client_id: claims.client_id,
      jti: randomUUID(),
      iat: at,
      exp,
    });
    const input = `${header}.${payload}`;
    const signature = sign(key.alg === 'ES256' ? 'sha256' : null, Buffer.from(input), {
      key: key.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    const jwt = `${input}.${signature.toString('base64url')}`;
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(cacheKey, { jwt, exp });
    return jwt;
  };
}
