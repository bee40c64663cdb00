import { describe, expect, it } from '@jest/globals';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { request } from '../support/test-app.js';

// One request a minute per client IP on the limited endpoints; each test uses its own IP.
const fixture = useSignInFixture({ AUTH_RATE_LIMIT: '1' });

const SAME_ORIGIN = { Origin: 'http://localhost:8080', Accept: 'application/json' };
const CROSS_SITE = { Origin: 'https://evil.example', Accept: 'application/json' };
const client = (ip: string) => ({ 'X-Forwarded-For': ip, Accept: 'application/json' });
const app = () => request(fixture.service.app.callback());

describe('path variants', () => {
  it('when the budget is spent, then a trailing slash or other letter case is limited too', async () => {
    const ip = client('10.1.0.1');
    await app().post('/auth/token').set(SAME_ORIGIN).set(ip).expect(401);
    for (const path of ['/auth/token/', '/AUTH/token', '/auth/Token//']) {
      const response = await app().post(path).set(SAME_ORIGIN).set(ip);
      expect([path, response.status]).toEqual([path, 429]);
    }
    await app().get('/auth/login/').set(ip).expect(429);
    await app().get('/Auth/Connect/Google/Callback?state=x').set(ip).expect(429);
  });

  it('when a path differs from a route by a trailing slash or letter case, then it is a 404, never the route', async () => {
    const cases: [string, 'get' | 'post', string][] = [
      ['10.1.0.2', 'post', '/auth/token/'],
      ['10.1.0.3', 'get', '/AUTH/login'],
      ['10.1.0.4', 'get', '/auth/connect/google/callback/?state=x&code=y'],
      ['10.1.0.5', 'get', '/auth/session/'],
      ['10.1.0.6', 'get', '/auth/connect/GOOGLE'],
    ];
    for (const [ip, method, path] of cases) {
      const response = await app()[method](path).set(SAME_ORIGIN).set(client(ip));
      expect([path, response.status, response.body.error]).toEqual([path, 404, 'not_found']);
    }
  });
});

describe('forwarded client address', () => {
  it('when a client adds its own X-Forwarded-For entries, then only the last hop (the gateway-set one) counts', async () => {
    await app().get('/auth/login').set(client('1.2.3.4, 10.2.0.1')).expect(302);
    const spoofed = await app().get('/auth/login').set(client('9.9.9.9, 10.2.0.1'));
    expect(spoofed.status).toBe(429);
    await app().get('/auth/login').set(client('10.2.0.1, 10.2.0.2')).expect(302);
  });
});

describe('method not allowed', () => {
  it('when GET /auth/token is asked, then 405 method_not_allowed as JSON with Allow: POST', async () => {
    const response = await app().get('/auth/token').set(client('10.3.0.1'));
    expect(response.status).toBe(405);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      error: 'method_not_allowed',
      error_description: expect.any(String),
      request_id: expect.any(String),
    });
    expect(response.headers.allow).toBe('POST');
  });

  it('when DELETE /auth/session is asked same-origin, then 405 with Allow: HEAD, GET', async () => {
    const response = await app().delete('/auth/session').set(SAME_ORIGIN);
    expect(response.status).toBe(405);
    expect(response.body.error).toBe('method_not_allowed');
    expect(response.headers.allow).toBe('HEAD, GET');
  });
});

describe('cross-site guard', () => {
  it.each([
    ['post', '/auth/logout', '10.4.0.1'],
    ['post', '/auth/token', '10.4.0.2'],
    ['post', '/auth/session', '10.4.0.3'],
    ['put', '/auth/some-route-added-later', '10.4.0.4'],
    ['delete', '/auth/session', '10.4.0.5'],
    ['patch', '/auth/token', '10.4.0.6'],
  ] as const)(
    'when %s %s comes from another site, then 403 cross_site_request',
    async (method, path, ip) => {
      const response = await app()[method](path).set(CROSS_SITE).set(client(ip));
      expect(response.status).toBe(403);
      expect(response.body.error).toBe('cross_site_request');
    },
  );

  it('when a POST carries neither Origin nor Sec-Fetch-Site, then it is refused too', async () => {
    const response = await app().post('/auth/logout').set('Accept', 'application/json');
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('cross_site_request');
  });
});
