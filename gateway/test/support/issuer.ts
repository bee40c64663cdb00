import { randomUUID } from 'node:crypto';
import { withLowS } from '@gatehouse/shared';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { echo, type UpstreamHandler } from './upstream.js';

export const ISSUER_PUBLIC_URL = 'http://gatehouse.test';
export const AUDIENCE = 'gatehouse-api';

/**
 * A stand-in auth-service: publishes one ES256 key at `/auth/.well-known/jwks.json` (where the
 * gateway looks by default) and echoes everything else; `token` signs access tokens with it.
 */
export async function testIssuer() {
  const kid = `test-${randomUUID()}`;
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  const handler: UpstreamHandler = (req, res) => {
    if (req.url === '/auth/.well-known/jwks.json') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(jwks));
      return;
    }
    echo(req, res);
  };
  // As the auth-service issues them: each role with its same-named scope, ES256 in low-S form.
  // `aud` in `claims` replaces JWT_AUDIENCE (the gateway pass's is ISSUER_PUBLIC_URL); `iat`
  // and `exp` (epoch seconds) replace now and now + 10 minutes.
  const token = async (
    claims: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
  ) => {
    const roles = (claims.roles as string[] | undefined) ?? ['user'];
    return withLowS(
      await new SignJWT({
        email: 'ada@example.com',
        roles,
        scope: ['openid', 'reports:read', ...roles].join(' '),
        client_id: 'gatehouse-web',
        sid: 'session-1',
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', ...header })
        .setIssuer(`${ISSUER_PUBLIC_URL}/auth`)
        .setAudience(typeof claims.aud === 'string' ? claims.aud : AUDIENCE)
        .setSubject(typeof claims.sub === 'string' ? claims.sub : 'user-1')
        .setJti(randomUUID())
        .setIssuedAt(typeof claims.iat === 'number' ? claims.iat : undefined)
        .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '10m')
        .sign(privateKey),
    );
  };
  return { handler, token, jwks };
}
