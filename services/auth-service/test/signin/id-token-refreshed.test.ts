import { beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createIdTokenVerifier } from '../../src/signin/verify-id-token.js';

const ISSUER = 'https://idp.example';
const CLIENT_ID = 'client';
const NOW = Date.UTC(2026, 0, 1);

let jwk: JWK;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
});

function signTestToken(claims: { nonce?: string; aud?: string }): Promise<string> {
  return new SignJWT(claims.nonce === undefined ? {} : { nonce: claims.nonce })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(claims.aud ?? CLIENT_ID)
    .setSubject('sub-1')
    .setIssuedAt(NOW / 1000)
    .setExpirationTime(NOW / 1000 + 600)
    .sign(privateKey);
}

const verifier = (refreshed: boolean) =>
  createIdTokenVerifier({
    provider: {
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/authorize`,
      tokenEndpoint: `${ISSUER}/token`,
      jwksUri: `${ISSUER}/jwks`,
      userinfoEndpoint: undefined,
      idTokenSigningAlgs: ['RS256'],
    },
    clientId: CLIENT_ID,
    fetch: async () => Response.json({ keys: [jwk] }),
    now: () => NOW,
    timeoutMs: 5000,
    refreshed,
  });

describe('id_tokens from a refresh_token grant (OpenID Core 12.2)', () => {
  it('when a refreshed id_token carries no nonce, then the refresh verifier accepts it and the sign-in verifier refuses it', async () => {
    const token = await signTestToken({});
    await expect(verifier(true)(token, undefined)).resolves.toMatchObject({ sub: 'sub-1' });
    await expect(verifier(false)(token, undefined)).rejects.toMatchObject({ reason: 'nonce' });
  });

  it('when the sign-in verifier gets no expected nonce, then even a token with one is refused', async () => {
    const token = await signTestToken({ nonce: 'n-1' });
    await expect(verifier(false)(token, undefined)).rejects.toMatchObject({ reason: 'nonce' });
    await expect(verifier(false)(token, 'n-1')).resolves.toMatchObject({ sub: 'sub-1' });
  });

  it('when a refreshed id_token fails another check, then it is still refused', async () => {
    const token = await signTestToken({ aud: 'another-client' });
    await expect(verifier(true)(token, undefined)).rejects.toMatchObject({
      code: 'invalid_id_token',
      reason: 'aud',
    });
  });
});
