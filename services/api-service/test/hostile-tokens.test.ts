import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { serve, type RunningServer } from '@gatehouse/shared';
import request from 'supertest';
import {
  b64url,
  hmacWithPublicKey,
  jwksOf,
  signRaw,
  signTestToken,
  startListener,
  testKey,
  T0,
} from './support/test-tokens.js';
import { testApp } from './support/test-app.js';

const es = testKey('ES256');
const rs = testKey('RS256');
const ed = testKey('EdDSA');
const impostor = testKey('ES256', es.kid);
const google = testKey('RS256', 'google-2030');
const seconds = T0 / 1000;
const claims = {
  iss: 'http://gatehouse.test/auth',
  aud: 'gatehouse-api',
  sub: 'u',
  iat: seconds,
  exp: seconds + 600,
  jti: 'j',
};

/** Through the whole api-service: each of these must be 401 invalid_token with the challenge. */
function corpus(listener: string): [string, string][] {
  const t = (spec: Omit<Parameters<typeof signTestToken>[0], 'key'> & { key?: typeof es }) =>
    signTestToken({ key: es, ...spec });
  return [
    ['alg none', `${b64url({ alg: 'none', typ: 'at+jwt', kid: es.kid })}.${b64url(claims)}.`],
    [
      'HS256 with the public key',
      hmacWithPublicKey(es, { alg: 'HS256', typ: 'at+jwt', kid: es.kid }, claims),
    ],
    ['RS256 header on the EC key', t({ header: { alg: 'RS256' } })],
    ['ES256 header on the RSA key', t({ key: rs, header: { alg: 'ES256' } })],
    ['EdDSA header on the EC key', t({ header: { alg: 'EdDSA' } })],
    ['expired', t({ exp: seconds - 31 })],
    ['nbf in the future', t({ claims: { nbf: seconds + 31 + 30 } })],
    ['iat in the future', t({ claims: { iat: seconds + 61 } })],
    ['wrong iss', t({ claims: { iss: 'https://evil.test/auth' } })],
    ['wrong aud', t({ claims: { aud: 'other' } })],
    ['missing aud', t({ omit: ['aud'] })],
    ['typ missing', t({ header: { typ: undefined } })],
    ['typ JWT', t({ header: { typ: 'JWT' } })],
    ['missing exp', t({ omit: ['exp'] })],
    ['missing sub', t({ omit: ['sub'] })],
    ['missing jti', t({ omit: ['jti'] })],
    ['valid kid, another key', t({ key: impostor })],
    ['kid ../../etc/passwd', t({ header: { kid: '../../etc/passwd' } })],
    ['kid SQL', t({ header: { kid: "1' OR '1'='1" } })],
    ['kid 10 KB', t({ header: { kid: 'x'.repeat(10_240) } })],
    [
      'jku and x5u',
      t({ header: { kid: 'evil', jku: `${listener}/jwks`, x5u: `${listener}/x5u` } }),
    ],
    ['crit', t({ header: { crit: ['exp'], exp: 1 } })],
    ['malformed base64', '%%%.%%%.%%%'],
    ['malformed JSON', `${b64url('{"alg"')}.${b64url('{')}.AAAA`],
    [
      'Google id_token',
      signRaw(
        { alg: 'RS256', kid: google.kid, typ: 'JWT' },
        {
          ...claims,
          iss: 'https://accounts.google.com',
          aud: 'x.apps.googleusercontent.com',
          email_verified: true,
        },
        google.sign,
      ),
    ],
  ];
}

describe('api-service against hostile tokens', () => {
  let jwks: Awaited<ReturnType<typeof startListener>>;
  let listener: Awaited<ReturnType<typeof startListener>>;
  let server: RunningServer;
  beforeAll(async () => {
    jwks = await startListener(jwksOf(es, rs, ed));
    listener = await startListener();
    server = await serve(testApp({ jwksUrl: jwks.jwksUrl }).callback, {
      port: 0,
      host: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await server.close(1000);
    await jwks.stop();
    await listener.stop();
  });

  it('when each hostile token calls /api/me, then each is 401 invalid_token with the challenge', async () => {
    const results = [];
    for (const [name, token] of corpus(listener.origin)) {
      const res = await request(server.url).get('/api/me').set('Authorization', `Bearer ${token}`);
      results.push({
        name,
        status: res.status,
        error: res.body.error,
        challenge:
          /^Bearer realm="gatehouse", error="invalid_token", error_description="[^"]+"$/.test(
            res.headers['www-authenticate'] ?? '',
          ),
      });
    }
    expect(results).toEqual(
      results.map(({ name }) => ({ name, status: 401, error: 'invalid_token', challenge: true })),
    );
    expect(listener.requests).toBe(0);
  });

  it('when the request carries a 20 KB header, then the server answers 431', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/me`, {
        headers: { Authorization: `Bearer ${'a'.repeat(20 * 1024)}` },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
  });

  it('when a token is just over 8 KiB but within the header limit, then 401, not 5xx', async () => {
    const token = signTestToken({ key: es, claims: { pad: 'p'.repeat(8 * 1024) } });
    const res = await request(server.url).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error_description="the token is too long"');
  });
});
