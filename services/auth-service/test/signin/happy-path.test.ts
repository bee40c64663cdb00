import { describe, expect, it } from '@jest/globals';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { request, setCookie, signIn } from '../support/test-app.js';

const fixture = useSignInFixture();
const agent = () => fixture.agent();

describe('sign-in happy path', () => {
  it('when the provider approves an allowed user, then the session shows the user and the browser returns to returnTo', async () => {
    const browser = agent();
    const callback = await signIn(browser, fixture.google, '/reports?year=2024');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/reports?year=2024');

    const session = await browser.get('/auth/session').expect(200);
    expect(session.body).toEqual({
      sub: expect.any(String),
      email: 'developer@example.com',
      name: 'Dev Eloper',
      picture: 'https://example.com/dev.png',
      roles: [],
      provider: 'google',
    });
    expect(session.body.sub).not.toBe('110248495921238986420');
    const audit = fixture.service.logs.filter((line) => line.event === 'sign_in');
    expect(audit).toEqual([expect.objectContaining({ decision: 'allowed' })]);
  });

  it('when grant sends the browser to the provider, then state, nonce and PKCE S256 are in the request and the redirect URI is the registered one', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const url = new URL(connect.headers.location!);
    expect(`${url.origin}${url.pathname}`).toBe(`${fixture.google.url}/authorize`);
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f]{40}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[0-9a-f]{40}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    expect(url.searchParams.get('redirect_uri')).toBe(
      'http://localhost:8080/auth/connect/google/callback',
    );
  });

  it('when a user signs in, then the session cookie value changes (no fixation) and the old id is dead', async () => {
    const browser = agent();
    const login = await browser.get('/auth/login').expect(302);
    const before = setCookie(login, SESSION_COOKIE)!.split(';')[0]!;
    const callback = await signIn(browser, fixture.google);
    const after = setCookie(callback, SESSION_COOKIE)!.split(';')[0]!;
    expect(after).not.toBe(before);
    expect(after).not.toBe(`${SESSION_COOKIE}=`);

    // The pre-login cookie, replayed by whoever planted it, is not signed in.
    const sig = setCookie(login, `${SESSION_COOKIE}.sig`)!.split(';')[0]!;
    await request(fixture.service.app.callback())
      .get('/auth/session')
      .set('Cookie', `${before}; ${sig}`)
      .expect(401);
  });

  it('when the session cookie is set, then it is HttpOnly, SameSite=Lax, scoped to /auth and holds only an id', async () => {
    const callback = await signIn(agent(), fixture.google);
    const cookie = setCookie(callback, SESSION_COOKIE)!;
    expect(cookie).toMatch(/; path=\/auth(;|$)/);
    expect(cookie).toMatch(/; httponly/i);
    expect(cookie).toMatch(/; samesite=lax/i);
    expect(cookie).not.toMatch(/; secure/i);
    expect(cookie.split(';')[0]!.split('=')[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(setCookie(callback, `${SESSION_COOKIE}.sig`)).toBeDefined();
  });
});
