import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import {
  request,
  setCookie,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';

let google: FakeGoogle;
beforeAll(async () => {
  google = await startFakeGoogle();
});
afterAll(() => google.close());

/** The session cookie pair a response sets, as a Cookie header. */
const cookiesOf = (response: { headers: Record<string, unknown> }) =>
  ['', '.sig']
    .map((suffix) => setCookie(response, `${SESSION_COOKIE}${suffix}`)!.split(';')[0])
    .join('; ');

/**
 * Signs in over plain http carrying the cookies by hand: supertest's agent, like a browser,
 * would not send a Secure cookie over http.
 */
async function signInOverPlainHttp(service: TestAuthService) {
  const app = service.app.callback();
  const login = await request(app).get('/auth/login').expect(302);
  const cookies = cookiesOf(login);
  const connect = await request(app).get('/auth/connect/google').set('Cookie', cookies);
  expect(connect.status).toBe(302);
  const callback = new URL(await google.authorize(connect.headers.location!));
  return request(app)
    .get(`${callback.pathname}${callback.search}`)
    .set('Cookie', cookies)
    .set('Accept', 'application/json');
}

describe('Secure cookies without trusted forwarded headers', () => {
  it('when PUBLIC_URL is https and TRUST_PROXY=false, then sign-in works over the plain-http hop and the cookie is Secure', async () => {
    const service = await startTestAuthService(google, {
      PUBLIC_URL: 'https://app.example.com',
      TRUST_PROXY: 'false',
    });
    const callback = await signInOverPlainHttp(service);
    expect(callback.status).toBe(302);
    expect(setCookie(callback, SESSION_COOKIE)).toMatch(/; secure/i);
    await request(service.app.callback())
      .get('/auth/session')
      .set('Cookie', cookiesOf(callback))
      .expect(200);
  });

  it('when PUBLIC_URL is http, then the cookie is not marked Secure', async () => {
    const service = await startTestAuthService(google, { TRUST_PROXY: 'false' });
    const callback = await signInOverPlainHttp(service);
    expect(callback.status).toBe(302);
    expect(setCookie(callback, SESSION_COOKIE)).not.toMatch(/; secure/i);
  });
});
