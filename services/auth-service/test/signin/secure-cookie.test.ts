import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
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

/** The session cookie pair a response sets (under `name`), as a Cookie header. */
const cookiesOf = (response: { headers: Record<string, unknown> }, name = SESSION_COOKIE) =>
  ['', '.sig'].map((suffix) => setCookie(response, `${name}${suffix}`)!.split(';')[0]).join('; ');

/**
 * Signs in over plain http carrying the cookies by hand: supertest's agent, like a browser,
 * would not send a Secure cookie over http.
 */
async function signInOverPlainHttp(service: TestAuthService, name = SESSION_COOKIE) {
  const app = service.app.callback();
  const login = await request(app).get('/auth/login').expect(302);
  const cookies = cookiesOf(login, name);
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
    const callback = await signInOverPlainHttp(service, SECURE_SESSION_COOKIE);
    expect(callback.status).toBe(302);
    expect(setCookie(callback, SECURE_SESSION_COOKIE)).toMatch(/; secure/i);
    await request(service.app.callback())
      .get('/auth/session')
      .set('Cookie', cookiesOf(callback, SECURE_SESSION_COOKIE))
      .expect(200);
  });

  it('when PUBLIC_URL is https, then the session cookie carries the __Secure- prefix (never the bare name)', async () => {
    const service = await startTestAuthService(google, {
      PUBLIC_URL: 'https://app.example.com',
      TRUST_PROXY: 'false',
    });
    const login = await request(service.app.callback()).get('/auth/login').expect(302);
    expect(SECURE_SESSION_COOKIE).toBe('__Secure-gatehouse_session');
    expect(setCookie(login, SECURE_SESSION_COOKIE)).toMatch(/; path=\/auth; .*secure/i);
    expect(setCookie(login, SESSION_COOKIE)).toBeUndefined();
  });

  it('when a browser still holds the unprefixed cookie from before the upgrade over https, then its session continues under the prefixed name', async () => {
    const service = await startTestAuthService(google, {
      PUBLIC_URL: 'https://app.example.com',
      TRUST_PROXY: 'false',
    });
    const callback = await signInOverPlainHttp(service, SECURE_SESSION_COOKIE);
    // The same session id under the old name, as a cookie set before the prefix existed.
    const id = setCookie(callback, SECURE_SESSION_COOKIE)!.split(';')[0]!.split('=')[1]!;
    const res = await request(service.app.callback())
      .get('/auth/session')
      .set('Cookie', legacyCookie(service, id))
      .expect(200);
    expect(setCookie(res, SECURE_SESSION_COOKIE)).toContain(`${SECURE_SESSION_COOKIE}=${id};`);
    expect(setCookie(res, SESSION_COOKIE)).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    await request(service.app.callback())
      .get('/auth/session')
      .set('Cookie', cookiesOf(res, SECURE_SESSION_COOKIE))
      .expect(200);
  });

  it('when PUBLIC_URL is http, then the cookie is not marked Secure', async () => {
    const service = await startTestAuthService(google, { TRUST_PROXY: 'false' });
    const callback = await signInOverPlainHttp(service);
    expect(callback.status).toBe(302);
    expect(setCookie(callback, SESSION_COOKIE)).not.toMatch(/; secure/i);
  });
});

/** The unprefixed cookie pair for session `id`, signed as koa-session did before the prefix. */
function legacyCookie(service: TestAuthService, id: string): string {
  const signature = createHmac('sha1', service.config.session.keys[0]!)
    .update(`${SESSION_COOKIE}=${id}`)
    .digest('base64url');
  return `${SESSION_COOKIE}=${id}; ${SESSION_COOKIE}.sig=${signature}`;
}
