import { describe, expect, it } from '@jest/globals';
import { createTokenVerifier, isTokenError } from '@gatehouse/shared';
import fc from 'fast-check';
import request from 'supertest';
import { signatureTwin } from '../../../../shared/test/tokens/signature-twin.js';
import { buildTokenApp, PUBLIC_URL, SAME_ORIGIN } from '../support/token-app.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

/** A real token from POST /auth/token, and the api-service's verifier for the same JWKS. */
async function issuedTokenAndVerifier(alg: string) {
  const service = await buildTokenApp({ env: { JWT_ALG: alg } });
  const { cookie } = await service.signIn('ada@example.com', ['admin']);
  const server = service.app.callback();
  const issued = await request(server)
    .post('/auth/token')
    .set('Cookie', cookie)
    .set(SAME_ORIGIN)
    .expect(200);
  const jwks = await request(server).get('/auth/.well-known/jwks.json').expect(200);
  const verifier = createTokenVerifier({
    jwksUrl: `${PUBLIC_URL}/auth/.well-known/jwks.json`,
    issuer: `${PUBLIC_URL}/auth`,
    audience: 'gatehouse-api',
    now: service.clock.now,
    // Every mutation must reach the signature check, never a cache hit on the original.
    tokenCacheSize: 0,
    revocationsUrl: false,
    fetch: async () => Response.json(jwks.body),
  });
  const token = issued.body.access_token as string;
  const { kid } = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as {
    kid: string;
  };
  const publicJwk = (jwks.body.keys as { kid: string; kty: string }[]).find(
    (key) => key.kid === kid,
  )!;
  return { token, verifier, twin: signatureTwin(token, publicJwk) };
}

/**
 * One edit of a token: a character replaced, inserted or deleted, a segment swapped in, or
 * the signature's algebraic twin (ES256 n - s, EdDSA S + L, RS256 s + n when it fits), which
 * no single-character edit reaches.
 */
const mutation = (token: string, twin: string | undefined) =>
  fc.oneof(
    fc.constant(twin ?? token),
    fc
      .tuple(fc.nat({ max: token.length - 1 }), fc.constantFrom(...ALPHABET))
      .map(([i, ch]) => token.slice(0, i) + ch + token.slice(i + 1)),
    fc
      .tuple(fc.nat({ max: token.length }), fc.constantFrom(...ALPHABET))
      .map(([i, ch]) => token.slice(0, i) + ch + token.slice(i)),
    fc.nat({ max: token.length - 1 }).map((i) => token.slice(0, i) + token.slice(i + 1)),
    // The signature's last character: the spellings a lenient base64url decoder confuses.
    fc.constantFrom(...ALPHABET.slice(0, 64)).map((ch) => token.slice(0, -1) + ch),
    fc
      .tuple(fc.constantFrom(0, 1, 2), fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/))
      .map(([part, text]) => {
        const parts = token.split('.');
        parts[part] = text;
        return parts.join('.');
      }),
  );

describe('the token verifier on mutated real tokens', () => {
  it.each(['ES256', 'EdDSA', 'RS256'])(
    'when a %s token from POST /auth/token is altered in any way, then it is refused unless identical',
    async (alg) => {
      const { token, verifier, twin } = await issuedTokenAndVerifier(alg);
      await expect(verifier.verify(token)).resolves.toMatchObject({ email: 'ada@example.com' });

      await fc.assert(
        fc.asyncProperty(mutation(token, twin), async (mutated) => {
          const outcome = await verifier.verify(mutated).then(
            () => 'accepted',
            (err: unknown) => (isTokenError(err) ? err.code : err),
          );
          expect(outcome).toBe(mutated === token ? 'accepted' : 'invalid_token');
        }),
        { numRuns: 400 },
      );
    },
  );
});
