import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { PUBLIC_URL } from './token-app.js';

/** The options a Gatehouse verifier uses: every pin DESIGN.md lists. */
export function verifierOptions(now: number, algorithms: string[] = ['ES256']) {
  return {
    issuer: `${PUBLIC_URL}/auth`,
    audience: 'gatehouse-api',
    algorithms,
    typ: 'at+jwt',
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    clockTolerance: 60,
    currentDate: new Date(now),
  };
}

/** Verifies like the api-service would, against a JWKS body or a (remote) key resolver. */
export function verifyAccessToken(
  token: string,
  keys: JSONWebKeySet | JWTVerifyGetKey,
  now: number,
  algorithms?: string[],
) {
  const resolver = typeof keys === 'function' ? keys : createLocalJWKSet(keys);
  return jwtVerify(token, resolver, verifierOptions(now, algorithms));
}
