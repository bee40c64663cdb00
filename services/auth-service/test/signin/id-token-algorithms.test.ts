import { beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import type { OpenIdProvider } from '../../src/signin/provider/openid-provider.js';
import { createIdTokenVerifier, idTokenAlgorithms } from '../../src/signin/verify-id-token.js';

const ISSUER = 'https://idp.example';
const CLIENT_ID = 'client';
const NOW = Date.UTC(2026, 0, 1);

let jwk: JWK;
let idToken: string;

/** One RS256 id_token and the key set that verifies it, served by an injected fetch. */
beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  idToken = await new SignJWT({ nonce: 'n-1', email: 'ada@example.com' })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(CLIENT_ID)
    .setSubject('sub-1')
    .setIssuedAt(NOW / 1000)
    .setExpirationTime(NOW / 1000 + 600)
    .sign(privateKey);
});

function verifierFor(idTokenSigningAlgs: string[]) {
  const provider: OpenIdProvider = {
    issuer: ISSUER,
    authorizationEndpoint: `${ISSUER}/authorize`,
    tokenEndpoint: `${ISSUER}/token`,
    jwksUri: `${ISSUER}/jwks`,
    userinfoEndpoint: undefined,
    idTokenSigningAlgs,
  };
  return createIdTokenVerifier({
    provider,
    clientId: CLIENT_ID,
    fetch: async () => Response.json({ keys: [jwk] }),
    now: () => NOW,
    timeoutMs: 5000,
  });
}

describe('id_token algorithms', () => {
  it('when the provider advertises algorithms, then only the asymmetric ones among them are allowed', () => {
    expect(idTokenAlgorithms(['RS256', 'HS256', 'none'])).toEqual(['RS256']);
    expect(idTokenAlgorithms([])).toContain('ES256');
    expect(idTokenAlgorithms([])).not.toContain('HS256');
    expect(idTokenAlgorithms(['HS256'])).toEqual([]);
  });

  it('when the provider advertises the algorithm the id_token uses, then it verifies', async () => {
    await expect(verifierFor(['RS256'])(idToken, 'n-1')).resolves.toMatchObject({ sub: 'sub-1' });
  });

  it('when the provider advertises no algorithms, then our allowlist applies', async () => {
    await expect(verifierFor([])(idToken, 'n-1')).resolves.toMatchObject({ sub: 'sub-1' });
  });

  it('when the id_token uses an algorithm the provider does not advertise, then it is refused (algorithm)', async () => {
    await expect(verifierFor(['ES256'])(idToken, 'n-1')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'algorithm',
    });
    await expect(verifierFor(['HS256'])(idToken, 'n-1')).rejects.toMatchObject({
      reason: 'algorithm',
    });
  });
});
