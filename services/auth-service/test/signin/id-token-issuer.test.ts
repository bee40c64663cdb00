import { beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { SignInError } from '../../src/signin/sign-in-error.js';
import { createIdTokenVerifier } from '../../src/signin/verify-id-token.js';

const TEMPLATE = 'https://idp.example/{tenant}/v2';
const CLIENT_ID = 'client';
const NOW = Date.UTC(2026, 0, 1);

let jwk: JWK;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
});

function signTestToken(claims: { iss?: string; tenant?: string }): Promise<string> {
  const token = new SignJWT({ nonce: 'n-1', ...(claims.tenant ? { tenant: claims.tenant } : {}) })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setAudience(CLIENT_ID)
    .setSubject('sub-1')
    .setIssuedAt(NOW / 1000)
    .setExpirationTime(NOW / 1000 + 600);
  if (claims.iss) token.setIssuer(claims.iss);
  return token.sign(privateKey);
}

/** Expects the issuer of the token's own `tenant` claim, as Entra's multi-tenant issuer does. */
const verify = createIdTokenVerifier({
  provider: {
    issuer: TEMPLATE,
    authorizationEndpoint: 'https://idp.example/authorize',
    tokenEndpoint: 'https://idp.example/token',
    jwksUri: 'https://idp.example/jwks',
    userinfoEndpoint: undefined,
    idTokenSigningAlgs: ['RS256'],
  },
  clientId: CLIENT_ID,
  fetch: async () => Response.json({ keys: [jwk] }),
  now: () => NOW,
  timeoutMs: 5000,
  issuer: (payload) => {
    if (typeof payload.tenant !== 'string') {
      throw new SignInError(401, 'invalid_id_token', 'tenant', 'no tenant');
    }
    return TEMPLATE.replace('{tenant}', payload.tenant);
  },
});

describe('id_token issuer computed from the token', () => {
  it('when iss is the issuer computed from the token, then it verifies', async () => {
    const token = await signTestToken({ iss: 'https://idp.example/t1/v2', tenant: 't1' });
    await expect(verify(token, 'n-1')).resolves.toMatchObject({ sub: 'sub-1' });
  });

  it.each([
    ['another tenant', { iss: 'https://idp.example/t2/v2', tenant: 't1' }],
    ['the published template itself', { iss: TEMPLATE, tenant: 't1' }],
    ['missing', { tenant: 't1' }],
  ])('when iss is %s, then 401 invalid_id_token (iss)', async (_name, claims) => {
    await expect(verify(await signTestToken(claims), 'n-1')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_id_token',
      reason: 'iss',
    });
  });

  it('when the computation refuses the token, then its error stands', async () => {
    const token = await signTestToken({ iss: 'https://idp.example/t1/v2' });
    await expect(verify(token, 'n-1')).rejects.toMatchObject({ reason: 'tenant' });
  });
});
