import { describe, expect, it } from '@jest/globals';
import { createTokenVerifier, isLowS } from '@gatehouse/shared';
import request from 'supertest';
import { signatureTwin } from '../../../../shared/test/tokens/signature-twin.js';
import { buildTokenApp, PUBLIC_URL, SAME_ORIGIN } from '../support/token-app.js';

/** jose signs ES256 through node crypto, whose s is above n/2 about half the time. */
const TOKENS = 48;

describe('ES256 access tokens in their one accepted form (issue 20, item 9)', () => {
  it('when many ES256 tokens are issued, then every signature is low-S, verifies, and its twin is refused', async () => {
    const service = await buildTokenApp({ env: { JWT_ALG: 'ES256' } });
    const { cookie } = await service.signIn('ada@example.com', ['admin']);
    const server = service.app.callback();
    const jwks = (await request(server).get('/auth/.well-known/jwks.json').expect(200)).body;
    const verifier = createTokenVerifier({
      jwksUrl: `${PUBLIC_URL}/auth/.well-known/jwks.json`,
      issuer: `${PUBLIC_URL}/auth`,
      audience: 'gatehouse-api',
      now: service.clock.now,
      tokenCacheSize: 0,
      revocationsUrl: false,
      fetch: async () => Response.json(jwks),
    });
    const highS: string[] = [];
    for (let i = 0; i < TOKENS; i++) {
      const token = (
        await request(server).post('/auth/token').set('Cookie', cookie).set(SAME_ORIGIN).expect(200)
      ).body.access_token as string;
      if (!isLowS('ES256', Buffer.from(token.split('.')[2]!, 'base64url'))) highS.push(token);
      await expect(verifier.verify(token)).resolves.toMatchObject({ email: 'ada@example.com' });
      const twin = signatureTwin(token, jwks.keys[0])!;
      await expect(verifier.verify(twin)).rejects.toMatchObject({
        code: 'invalid_token',
        reason: 'malformed',
      });
    }
    expect(highS).toEqual([]);
  });
});
