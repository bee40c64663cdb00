import { describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { request, setCookie, signIn, startTestAuthService } from '../support/test-app.js';

const fixture = useSignInFixture();
const agent = () => fixture.agent();

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
      400,
      'invalid_grant',
      'invalid_grant',
    ],
  ];

  it.each(cases)(
    'when the provider sends %s, then the sign-in is refused with no session and one audit line',
    async (_name, misbehaviour, status, code, reason) => {
      fixture.google.misbehave(misbehaviour);
      const browser = agent();
      const callback = await signIn(browser, fixture.google);
      expect(callback.status).toBe(status);
      expect(callback.body.error).toBe(code);
      if (status < 500) expect(callback.body.error_description).toContain(`(${reason})`);
      expect(setCookie(callback, SESSION_COOKIE)).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
      await browser.get('/auth/session').expect(401);
      const audit = fixture.service.logs.filter((line) => line.event === 'sign_in');
      expect(audit).toEqual([expect.objectContaining({ decision: 'denied', error: code, reason })]);
      await request(fixture.service.app.callback()).get('/healthz').expect(200);
    },
  );

  it('when the email is not verified, then 403 access_denied (email_not_verified)', async () => {
    fixture.google.nextLogin({ email_verified: false });
    const callback = await signIn(agent(), fixture.google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(email_not_verified)');
  });

  it('when the hd is not an allowed domain, then 403 access_denied (not_allowed)', async () => {
    fixture.google.nextLogin({ sub: 'hd-1', email: 'mallory@evil.example', hd: 'evil.example' });
    const callback = await signIn(agent(), fixture.google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(not_allowed)');
  });

  it('when an email at an allowed domain has no hd claim (gmail-style), then it is not admitted by the domain', async () => {
    fixture.google.nextLogin({ sub: 'gmail-1', email: 'someone@example.com', hd: undefined });
    const callback = await signIn(agent(), fixture.google);
    expect(callback.status).toBe(403);
  });

  it('when the user is disabled, then 403 (disabled) and no session', async () => {
    fixture.google.nextLogin({ sub: 'to-disable', email: 'disabled@example.com' });
    expect((await signIn(agent(), fixture.google)).status).toBe(302);
    const user = (await fixture.service.directory.findByEmail('disabled@example.com'))!;
    await fixture.service.directory.setDisabled(user.id, true);
    const browser = agent();
    const callback = await signIn(browser, fixture.google);
    expect(callback.status).toBe(403);
    expect(callback.body.error_description).toContain('(disabled)');
    await browser.get('/auth/session').expect(401);
  });

  it('when the provider is down during the token exchange, then 502 and the service stays up', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    fixture.google.misbehave({ down: true });
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json');
    expect(response.status).toBe(502);
    expect(response.body.error).toBe('token_exchange_failed');
    await browser.get('/auth/session').expect(401);
    await request(fixture.service.app.callback()).get('/healthz').expect(200);
  });

  it('when the JWKS is down while the id_token is verified, then 502 provider_unavailable, no session, and the service stays up', async () => {
    // A service that has never fetched the keys, so verification must ask the JWKS.
    const fresh = await startTestAuthService(fixture.google);
    fixture.google.misbehave({ jwksDown: true });
    const browser = request.agent(fresh.app.callback());
    const callback = await signIn(browser, fixture.google);
    expect(callback.status).toBe(502);
    expect(callback.body.error).toBe('provider_unavailable');
    expect(fixture.google.requests).toContain('/jwks');
    expect(setCookie(callback, SESSION_COOKIE)).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    await browser.get('/auth/session').expect(401);
    const audit = fresh.logs.filter((line) => line.event === 'sign_in');
    expect(audit).toEqual([
      expect.objectContaining({
        decision: 'denied',
        error: 'provider_unavailable',
        reason: 'jwks',
      }),
    ]);
    await request(fresh.app.callback()).get('/healthz').expect(200);

    fixture.google.reset();
    expect((await signIn(browser, fixture.google)).status).toBe(302);
  });

  it('when a browser (Accept: text/html) is refused, then it gets an HTML page with the request id', async () => {
    fixture.google.misbehave({ authorizeError: 'access_denied' });
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    const page = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Access denied');
    expect(page.text).toContain(page.headers['x-request-id']);
  });
});
