import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../test/support/fake-google.js';
import { SESSION_COOKIE } from '../src/sessions/session-middleware.js';
import {
  request,
  setCookie,
  signIn,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from './support/test-app.js';

let google: FakeGoogle;
let service: TestAuthService;

beforeAll(async () => {
  google = await startFakeGoogle();
  service = await startTestAuthService(google);
});
afterAll(() => google.close());
beforeEach(() => {
  google.reset();
  service.logs.length = 0;
});

const agent = () => request.agent(service.app.callback());

describe('sign-in happy path', () => {
  it('when the provider approves an allowed user, then the session shows the user and the browser returns to returnTo', async () => {
    const browser = agent();
    const callback = await signIn(browser, google, '/reports?year=2024');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/reports?year=2024');

    const session = await browser.get('/auth/session').expect(200);
    expect(session.body).toEqual({
      sub: expect.any(String),
      email: 'developer@example.com',
      name: 'Dev Eloper',
      picture: 'https://example.com/dev.png',
      roles: [],
    });
    expect(session.body.sub).not.toBe('110248495921238986420');
    const audit = service.logs.filter((line) => line.event === 'sign_in');
    expect(audit).toEqual([expect.objectContaining({ decision: 'allowed' })]);
  });

  it('when grant sends the browser to the provider, then state, nonce and PKCE S256 are in the request and the redirect URI is the registered one', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const url = new URL(connect.headers.location!);
    expect(`${url.origin}${url.pathname}`).toBe(`${google.url}/authorize`);
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
    const callback = await signIn(browser, google);
    const after = setCookie(callback, SESSION_COOKIE)!.split(';')[0]!;
    expect(after).not.toBe(before);
    expect(after).not.toBe(`${SESSION_COOKIE}=`);

    // The pre-login cookie, replayed by whoever planted it, is not signed in.
    const sig = setCookie(login, `${SESSION_COOKIE}.sig`)!.split(';')[0]!;
    await request(service.app.callback())
      .get('/auth/session')
      .set('Cookie', `${before}; ${sig}`)
      .expect(401);
  });

  it('when the session cookie is set, then it is HttpOnly, SameSite=Lax, scoped to /auth and holds only an id', async () => {
    const callback = await signIn(agent(), google);
    const cookie = setCookie(callback, SESSION_COOKIE)!;
    expect(cookie).toMatch(/; path=\/auth(;|$)/);
    expect(cookie).toMatch(/; httponly/i);
    expect(cookie).toMatch(/; samesite=lax/i);
    expect(cookie).not.toMatch(/; secure/i);
    expect(cookie.split(';')[0]!.split('=')[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(setCookie(callback, `${SESSION_COOKIE}.sig`)).toBeDefined();
  });
});

describe('refused sign-ins', () => {
  const cases: [string, Parameters<FakeGoogle['misbehave']>[0], number, string, string][] = [
    ['a bad signature', { badSignature: true }, 401, 'invalid_id_token', 'signature'],
    ['alg none', { algNone: true }, 401, 'invalid_id_token', 'algorithm'],
    ['HMAC signed with the client secret', { algHmac: true }, 401, 'invalid_id_token', 'algorithm'],
    ['a key not in the JWKS', { unknownKey: true }, 401, 'invalid_id_token', 'key'],
    ['a wrong iss', { iss: 'https://evil.example' }, 401, 'invalid_id_token', 'iss'],
    ['a wrong aud', { aud: 'someone-else' }, 401, 'invalid_id_token', 'aud'],
    ['a wrong azp', { azp: 'someone-else' }, 401, 'invalid_id_token', 'azp'],
    ['a wrong nonce', { nonce: 'replayed-nonce' }, 401, 'invalid_id_token', 'nonce'],
    ['a missing nonce', { omitNonce: true }, 401, 'invalid_id_token', 'nonce'],
    ['an expired token', { expired: true }, 401, 'invalid_id_token', 'exp'],
    ['a token issued in the future', { issuedInFuture: 600 }, 401, 'invalid_id_token', 'iat'],
    ['a userinfo sub mismatch', { userinfoSub: 'someone-else' }, 401, 'invalid_userinfo', 'sub'],
    [
      'error=access_denied',
      { authorizeError: 'access_denied' },
      403,
      'access_denied',
      'provider_access_denied',
    ],
    [
      'a token endpoint that is down',
      { tokenEndpointDown: true },
      502,
      'token_exchange_failed',
      'temporarily_unavailable',
    ],
    [
      'a token endpoint refusing the code',
      { tokenError: 'invalid_grant' },
      502,
      'token_exchange_failed',
      'invalid_grant',
    ],
  ];

  it.each(cases)(
    'when the provider sends %s, then the sign-in is refused with no session and one audit line',
    async (_name, misbehaviour, status, code, reason) => {
      google.misbehave(misbehaviour);
      const browser = agent();
      const callback = await signIn(browser, google);
      expect(callback.status).toBe(status);
      expect(callback.body.error).toBe(code);
      if (status < 500) expect(callback.body.error_description).toContain(`(${reason})`);
      expect(setCookie(callback, SESSION_COOKIE)).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      await browser.get('/auth/session').expect(401);
      const audit = service.logs.filter((line) => line.event === 'sign_in');
      expect(audit).toEqual([expect.objectContaining({ decision: 'denied', error: code, reason })]);
      await request(service.app.callback()).get('/healthz').expect(200);
    },
  );

  it('when the email is not verified, then 403 access_denied (email_not_verified)', async () => {
    google.nextLogin({ email_verified: false });
    const callback = await signIn(agent(), google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(email_not_verified)');
  });

  it('when the hd is not an allowed domain, then 403 access_denied (not_allowed)', async () => {
    google.nextLogin({ sub: 'hd-1', email: 'mallory@evil.example', hd: 'evil.example' });
    const callback = await signIn(agent(), google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(not_allowed)');
  });

  it('when an email at an allowed domain has no hd claim (gmail-style), then it is not admitted by the domain', async () => {
    google.nextLogin({ sub: 'gmail-1', email: 'someone@example.com', hd: undefined });
    const callback = await signIn(agent(), google);
    expect(callback.status).toBe(403);
  });

  it('when the user is disabled, then 403 (disabled) and no session', async () => {
    google.nextLogin({ sub: 'to-disable', email: 'disabled@example.com' });
    expect((await signIn(agent(), google)).status).toBe(302);
    const user = service.directory.findByEmail('disabled@example.com')!;
    service.directory.setDisabled(user.id, true);
    const browser = agent();
    const callback = await signIn(browser, google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(disabled)');
    await browser.get('/auth/session').expect(401);
  });

  it('when the provider is down during the token exchange, then 502 and the service stays up', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await google.authorize(connect.headers.location!));
    google.misbehave({ down: true });
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json');
    expect(response.status).toBe(502);
    expect(response.body.error).toBe('token_exchange_failed');
    await browser.get('/auth/session').expect(401);
    await request(service.app.callback()).get('/healthz').expect(200);
  });

  it('when a browser (Accept: text/html) is refused, then it gets an HTML page with the request id', async () => {
    google.misbehave({ authorizeError: 'access_denied' });
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await google.authorize(connect.headers.location!));
    const page = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Access denied');
    expect(page.text).toContain(page.headers['x-request-id']);
  });
});

describe('callback state', () => {
  it('when the state does not match the session, then 400 invalid_state and no session', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await google.authorize(connect.headers.location!));
    callback.searchParams.set('state', 'f'.repeat(40));
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(400);
    expect(response.body.error).toBe('invalid_state');
    expect(response.body.error_description).toContain('(state_mismatch)');
    await browser.get('/auth/session').expect(401);
  });

  it('when a callback arrives in a browser that started no sign-in (login CSRF), then 400 invalid_state', async () => {
    const victim = agent();
    const attacker = agent();
    await attacker.get('/auth/login').expect(302);
    const connect = await attacker.get('/auth/connect/google').expect(302);
    const callback = new URL(await google.authorize(connect.headers.location!));
    const response = await victim
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(400);
    expect(response.body.error_description).toContain('(no_pending_sign_in)');
  });

  it('when a completed callback is replayed, then 400 invalid_state and the session is unchanged', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await google.authorize(connect.headers.location!));
    const path = `${callback.pathname}${callback.search}`;
    await browser.get(path).expect(302);
    const replay = await request(service.app.callback())
      .get(path)
      .set('Accept', 'application/json')
      .expect(400);
    expect(replay.body.error).toBe('invalid_state');
  });

  it('when an unknown grant path is requested, then 404 and never grant', async () => {
    await agent().get('/auth/connect/github').set('Accept', 'application/json').expect(404);
    await agent().get('/auth/connect/google/evil').set('Accept', 'application/json').expect(404);
  });
});

describe('session and logout', () => {
  it('when signed out, then GET /auth/session is 401 login_required', async () => {
    const response = await agent().get('/auth/session').expect(401);
    expect(response.body.error).toBe('login_required');
  });

  it('when a user logs out, then a copied cookie is worthless afterwards', async () => {
    const browser = agent();
    const callback = await signIn(browser, google);
    const copied = ['', '.sig']
      .map((suffix) => setCookie(callback, `${SESSION_COOKIE}${suffix}`)!.split(';')[0])
      .join('; ');
    const thief = () => request(service.app.callback()).get('/auth/session').set('Cookie', copied);
    await thief().expect(200);

    await browser.post('/auth/logout').set('Origin', 'http://localhost:8080').expect(204);
    await browser.get('/auth/session').expect(401);
    await thief().expect(401);
  });

  it('when an HTML form posts logout, then 303 to /', async () => {
    const browser = agent();
    await signIn(browser, google);
    const response = await browser
      .post('/auth/logout')
      .set('Origin', 'http://localhost:8080')
      .set('Accept', 'text/html')
      .expect(303);
    expect(response.headers.location).toBe('/');
  });

  it('when logout comes from another origin, then 403 cross_site_request and the session lives', async () => {
    const browser = agent();
    await signIn(browser, google);
    const response = await browser
      .post('/auth/logout')
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(response.body.error).toBe('cross_site_request');
    await browser.get('/auth/session').expect(200);
  });

  it('when a signed-in user is disabled, then the next request is 401 and the session is ended', async () => {
    const browser = agent();
    google.nextLogin({ sub: 'later-disabled', email: 'later@example.com' });
    await signIn(browser, google);
    const user = service.directory.findByEmail('later@example.com')!;
    service.directory.setDisabled(user.id, true);
    await browser.get('/auth/session').expect(401);
    service.directory.setDisabled(user.id, false);
    await browser.get('/auth/session').expect(401);
  });

  it('when the session has been idle past SESSION_IDLE_TIMEOUT, then it has ended', async () => {
    const browser = agent();
    await signIn(browser, google);
    service.advance(service.config.session.idleTimeoutMs - 1000);
    await browser.get('/auth/session').expect(200);
    service.advance(service.config.session.idleTimeoutMs + 1000);
    await browser.get('/auth/session').expect(401);
  });
});
