import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { serve, type RunningServer } from '@gatehouse/shared';
import request from 'supertest';
import { hostileTokens } from '../../../shared/test/tokens/hostile-tokens.js';
import {
  jwksOf,
  signTestToken,
  startCountingListener,
  startJwksServer,
  testKey,
} from '../../../shared/test/tokens/support.js';
import { testApp } from './support/test-app.js';

const es = testKey('ES256');
const rs = testKey('RS256');
const ed = testKey('EdDSA');

describe('api-service against hostile tokens', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let listener: Awaited<ReturnType<typeof startCountingListener>>;
  let server: RunningServer;
  beforeAll(async () => {
    jwks = await startJwksServer(jwksOf(es, rs, ed));
    listener = await startCountingListener();
    server = await serve(testApp({ jwksUrl: jwks.url }).callback, {
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
    // The whole shared corpus (the verifier's own tests also check each refusal's reason).
    for (const { name, token } of hostileTokens({ es, rs, ed }, listener.url)) {
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
