import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import Koa from 'koa';
import request from 'supertest';
import { silentLogger } from '../../src/index.js';
import { errorHandler, requestContext, requireAuth, type AuthState } from '../../src/koa/index.js';
import {
  jwksOf,
  signTestToken,
  startJwksServer,
  testKey,
  testVerifier,
  T0,
} from '../tokens/support.js';

const es = testKey('ES256');

/** Any value Node will put in a header: visible ASCII, space, tab and obs-text. */
const fieldValue = fc
  .array(
    fc.oneof(
      fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', ' ', '\t', '.', ',', '=', '"'),
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
      fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** `bearer` in any mix of case. */
const bearerScheme = fc
  .array(fc.boolean(), { minLength: 6, maxLength: 6 })
  .map((upper) => [...'bearer'].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));

describe('Authorization parsing on hostile input', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let server: ReturnType<Koa['callback']>;
  let token: string;

  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(es));
    const app = new Koa<AuthState>();
    app.use(requestContext({ logger: silentLogger() }));
    app.use(errorHandler());
    app.use(requireAuth(testVerifier({ jwksUrl: jwks.url, now: () => T0 })));
    app.use((ctx) => {
      ctx.body = { sub: ctx.state.auth.sub };
    });
    server = app.callback();
    token = signTestToken({ key: es });
  });
  afterAll(() => jwks.stop());

  it('when Authorization holds anything but a valid token, then 401 with a Bearer challenge, never more', async () => {
    await fc.assert(
      fc.asyncProperty(fieldValue, async (authorization) => {
        const response = await request(server).get('/me').set('Authorization', authorization);

        expect(response.status).toBe(401);
        const challenge = response.headers['www-authenticate'] as string;
        expect(challenge.startsWith('Bearer realm="gatehouse"')).toBe(true);
        const presented = /^bearer(?: |$)/i.test(authorization.trim());
        expect(response.body.error).toBe(presented ? 'invalid_token' : 'unauthorized');
        expect(challenge.includes('error="invalid_token"')).toBe(presented);
      }),
      { numRuns: 300 },
    );
  });

  it('when a valid token follows the scheme in any case and spacing, then it is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(
        bearerScheme,
        fc.stringMatching(/^ {1,3}$/),
        fc.stringMatching(/^[ \t]{0,3}$/),
        async (scheme, gap, tail) => {
          const response = await request(server)
            .get('/me')
            .set('Authorization', `${scheme}${gap}${token}${tail}`);
          expect(response.status).toBe(200);
          expect(response.body.sub).toBe('user-1');
        },
      ),
      { numRuns: 50 },
    );
  });

  it('when a valid token has anything glued to it, then it is refused as invalid_token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,8}$/),
        fc.boolean(),
        async (junk, before) => {
          const credential = before ? `${junk}${token}` : `${token}${junk}`;
          fc.pre(credential !== token);
          const response = await request(server)
            .get('/me')
            .set('Authorization', `Bearer ${credential}`);
          expect(response.status).toBe(401);
          expect(response.body.error).toBe('invalid_token');
        },
      ),
      { numRuns: 100 },
    );
  });
});
