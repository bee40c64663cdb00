import type { TokenErrorReason } from '../../src/index.js';
import {
  b64url,
  hmacWithPublicKey,
  signRaw,
  signTestToken,
  type TestKey,
  testKey,
  T0,
} from './support.js';
import { signatureTwin } from './signature-twin.js';

export interface HostileToken {
  name: string;
  token: string;
  reason: TokenErrorReason;
}

/**
 * The hostile-token corpus of issue 5. `es`, `rs` and `ed` are published in the JWKS; every
 * token here must be refused with `reason`. `listenerUrl` is where `jku`/`x5u` point: nothing
 * may ever be fetched from it.
 */
export function hostileTokens(
  keys: { es: TestKey; rs: TestKey; ed: TestKey },
  listenerUrl: string,
  now = T0,
): HostileToken[] {
  const { es, rs, ed } = keys;
  const seconds = Math.floor(now / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: 'http://gatehouse.test/auth',
    aud: 'gatehouse-api',
    sub: 'user-1',
    iat: seconds,
    exp: seconds + 600,
    jti: 'j-1',
    roles: ['admin'],
    ...extra,
  });
  const attacker = testKey('ES256', 'attacker');
  const impostor = testKey('ES256', es.kid);
  const googleKey = testKey('RS256', 'google-2030');
  const token = (extra: Omit<Parameters<typeof signTestToken>[0], 'now'>) =>
    signTestToken({ now, ...extra });
  return [
    {
      name: "ES256 signature's high-S twin (r, n - s) of a valid token",
      token: signatureTwin(token({ key: es }), es.publicJwk)!,
      reason: 'malformed',
    },
    {
      name: 'alg none',
      token: `${b64url({ alg: 'none', typ: 'at+jwt', kid: es.kid })}.${b64url(claims())}.`,
      reason: 'alg_not_allowed',
    },
    {
      name: 'HS256 signed with the public key',
      token: hmacWithPublicKey(es, { alg: 'HS256', typ: 'at+jwt', kid: es.kid }, claims()),
      reason: 'alg_not_allowed',
    },
    {
      name: 'RS256 header on the ES256 key',
      token: token({ key: es, header: { alg: 'RS256' } }),
      reason: 'key_mismatch',
    },
    {
      name: 'ES256 header on the RSA key',
      token: token({ key: rs, header: { alg: 'ES256' } }),
      reason: 'key_mismatch',
    },
    {
      name: 'EdDSA header on the ES256 key',
      token: token({ key: es, header: { alg: 'EdDSA' } }),
      reason: 'key_mismatch',
    },
    {
      name: 'ES256 header on the Ed25519 key',
      token: token({ key: ed, header: { alg: 'ES256' } }),
      reason: 'key_mismatch',
    },
    {
      name: 'PS256, outside the allowlist',
      token: token({ key: rs, header: { alg: 'PS256' } }),
      reason: 'alg_not_allowed',
    },
    {
      name: 'expired beyond tolerance',
      token: token({ key: es, exp: seconds - 31 }),
      reason: 'expired',
    },
    {
      name: 'expired long ago',
      token: token({ key: es, exp: seconds - 86_400 }),
      reason: 'expired',
    },
    {
      name: 'nbf in the future',
      token: token({ key: es, claims: { nbf: seconds + 60 } }),
      reason: 'not_yet_valid',
    },
    {
      name: 'iat in the future',
      token: token({ key: es, claims: { iat: seconds + 60 } }),
      reason: 'issued_in_future',
    },
    {
      name: 'wrong iss',
      token: token({ key: es, claims: { iss: 'https://evil.test/auth' } }),
      reason: 'wrong_issuer',
    },
    {
      name: 'wrong aud',
      token: token({ key: es, claims: { aud: 'another-api' } }),
      reason: 'wrong_audience',
    },
    { name: 'missing aud', token: token({ key: es, omit: ['aud'] }), reason: 'missing_claim' },
    {
      name: 'typ missing',
      token: token({ key: es, header: { typ: undefined } }),
      reason: 'typ_not_accepted',
    },
    {
      name: 'typ JWT',
      token: token({ key: es, header: { typ: 'JWT' } }),
      reason: 'typ_not_accepted',
    },
    { name: 'missing exp', token: token({ key: es, omit: ['exp'] }), reason: 'missing_claim' },
    { name: 'missing iat', token: token({ key: es, omit: ['iat'] }), reason: 'missing_claim' },
    { name: 'missing sub', token: token({ key: es, omit: ['sub'] }), reason: 'missing_claim' },
    { name: 'missing jti', token: token({ key: es, omit: ['jti'] }), reason: 'missing_claim' },
    {
      name: 'roles not an array',
      token: token({ key: es, claims: { roles: 'admin' } }),
      reason: 'invalid_claim',
    },
    {
      name: 'client_id not a string',
      token: token({ key: es, claims: { client_id: 7 } }),
      reason: 'invalid_claim',
    },
    {
      name: 'valid kid, another key signed',
      token: token({ key: impostor }),
      reason: 'bad_signature',
    },
    {
      name: 'empty signature',
      token: token({ key: es }).replace(/\.[^.]+$/, '.'),
      reason: 'bad_signature',
    },
    {
      name: 'kid ../../etc/passwd',
      token: token({ key: es, header: { kid: '../../etc/passwd' } }),
      reason: 'unknown_kid',
    },
    {
      name: 'kid with SQL',
      token: token({ key: es, header: { kid: "' OR 1=1; DROP TABLE keys; --" } }),
      reason: 'unknown_kid',
    },
    {
      name: 'kid of 10 KB',
      token: token({ key: es, header: { kid: 'k'.repeat(10_240) } }),
      reason: 'too_long',
    },
    {
      name: 'no kid',
      token: token({ key: es, header: { kid: undefined } }),
      reason: 'unknown_kid',
    },
    {
      name: 'jku, x5u and jwk pointing at the attacker',
      token: token({
        key: attacker,
        header: {
          jku: `${listenerUrl}/jwks.json`,
          x5u: `${listenerUrl}/cert.pem`,
          jwk: attacker.publicJwk,
        },
      }),
      reason: 'unknown_kid',
    },
    {
      name: 'our kid with an embedded attacker jwk and jku',
      token: token({
        key: impostor,
        header: { jku: `${listenerUrl}/jwks.json`, jwk: impostor.publicJwk },
      }),
      reason: 'bad_signature',
    },
    {
      name: 'crit exp',
      token: token({ key: es, header: { crit: ['exp'], exp: seconds } }),
      reason: 'crit_not_supported',
    },
    {
      name: 'crit b64',
      token: token({ key: es, header: { crit: ['b64'], b64: true } }),
      reason: 'crit_not_supported',
    },
    { name: 'malformed base64 header', token: '%%%.%%%.%%%', reason: 'malformed' },
    {
      name: 'malformed base64 payload and signature',
      token: `${b64url({ alg: 'ES256', typ: 'at+jwt', kid: es.kid })}.%%%.@@@`,
      reason: 'malformed',
    },
    {
      name: 'header not JSON',
      token: `${b64url('{"alg":')}.${b64url(claims())}.c2ln`,
      reason: 'malformed',
    },
    {
      name: 'payload not JSON, correctly signed',
      token: signRaw({ alg: 'ES256', typ: 'at+jwt', kid: es.kid }, 'not json', es.sign),
      reason: 'malformed',
    },
    {
      name: 'payload a JSON array, correctly signed',
      token: signRaw({ alg: 'ES256', typ: 'at+jwt', kid: es.kid }, [1, 2], es.sign),
      reason: 'malformed',
    },
    {
      name: 'two segments',
      token: token({ key: es }).split('.').slice(0, 2).join('.'),
      reason: 'malformed',
    },
    { name: 'four segments', token: `${token({ key: es })}.extra`, reason: 'malformed' },
    {
      name: 'a Google id_token',
      token: signRaw(
        { alg: 'RS256', kid: googleKey.kid, typ: 'JWT' },
        {
          iss: 'https://accounts.google.com',
          azp: 'client.apps.googleusercontent.com',
          aud: 'client.apps.googleusercontent.com',
          sub: '110169484474386276334',
          email: 'ada@example.com',
          email_verified: true,
          hd: 'example.com',
          nonce: 'n-0S6_WzA2Mj',
          iat: seconds,
          exp: seconds + 3600,
        },
        googleKey.sign,
      ),
      reason: 'typ_not_accepted',
    },
    {
      name: 'an id_token of our issuer without typ',
      token: token({
        key: es,
        header: { typ: undefined },
        claims: { nonce: 'n', aud: 'gatehouse-dev' },
      }),
      reason: 'typ_not_accepted',
    },
  ];
}
