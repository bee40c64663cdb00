import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHttpMetrics } from '@gatehouse/shared';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import {
  request,
  setCookie,
  startFakeGoogle,
  startTestAuthService,
  type TestAuthService,
} from '../support/test-app.js';
import { signInWith } from '../support/provider-sign-in.js';

/** Google (the fake) and an Okta-like OpenID provider (another fake) at once. */
let google: FakeGoogle;
let okta: FakeGoogle;
const started: TestAuthService[] = [];

beforeAll(async () => {
  google = await startFakeGoogle();
  okta = await startFakeGoogle({ clientId: 'okta-client', clientSecret: 'okta-secret' });
});
afterAll(async () => {
  await google.close();
  await okta.close();
});
beforeEach(() => {
  google.reset();
  okta.reset();
});

function oktaEnv(env: Record<string, string> = {}) {
  return {
    PROVIDERS: 'google,okta',
    OKTA_ISSUER: okta.issuer,
    OKTA_CLIENT_ID: okta.clientId,
    OKTA_CLIENT_SECRET: okta.clientSecret,
    OKTA_NAME: 'Okta',
    ...env,
  };
}

async function service(env: Record<string, string> = {}) {
  const started_ = await startTestAuthService(google, oktaEnv(env));
  started.push(started_);
  return started_;
}

describe('several identity providers', () => {
  it('when two providers are configured and none is named, then /auth/login shows one button per provider, the last used first', async () => {
    const { app } = await service();
    const choice = await request(app.callback()).get('/auth/login?returnTo=/reports').expect(200);
    expect(choice.headers['content-type']).toMatch(/text\/html/);
    expect(choice.headers['cache-control']).toBe('no-store');
    const buttons = [...choice.text.matchAll(/data-provider="(\w+)" href="([^"]+)"/g)];
    expect(buttons.map((b) => b[1])).toEqual(['google', 'okta']);
    expect(buttons[1]![2]).toBe('/auth/login?provider=okta&amp;returnTo=%2Freports');
    expect(choice.text).toContain('Sign in with Okta');

    const browser = request.agent(app.callback());
    expect((await signInWith(browser, okta, 'okta')).status).toBe(302);
    const again = await browser.get('/auth/login').expect(200);
    const order = [...again.text.matchAll(/data-provider="(\w+)"/g)].map((b) => b[1]);
    expect(order).toEqual(['okta', 'google']);
    expect(again.text).toContain('(last used)');
  });

  it('when a user signs in with the second provider, then the session names it and the token sub is our own id', async () => {
    const { app, directory } = await service();
    okta.nextLogin({ sub: 'okta-1', email: 'ann@example.com', hd: undefined });
    const browser = request.agent(app.callback());
    const callback = await signInWith(browser, okta, 'okta', '/reports');
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/reports');
    const session = await browser.get('/auth/session').expect(200);
    expect(session.body).toMatchObject({ email: 'ann@example.com', provider: 'okta' });
    expect(session.body.sub).not.toBe('okta-1');
    const user = await directory.findByIdentity('okta', 'okta-1');
    expect(user?.id).toBe(session.body.sub);
  });

  it('when /auth/login names a provider PROVIDERS does not list, then 400 invalid_request and no connect path exists for it', async () => {
    const { app } = await service();
    const res = await request(app.callback())
      .get('/auth/login?provider=github')
      .set('Accept', 'application/json')
      .expect(400);
    expect(res.body.error).toBe('invalid_request');
    await request(app.callback()).get('/auth/connect/github').expect(404);
    await request(app.callback()).get('/auth/connect/github/callback').expect(404);
  });

  it("when a callback for one provider carries another provider's sign-in, then 400 invalid_state", async () => {
    const { app } = await service();
    const browser = request.agent(app.callback());
    await browser.get('/auth/login?provider=okta').expect(302);
    const connect = await browser.get('/auth/connect/okta').expect(302);
    const callback = new URL(await okta.authorize(connect.headers.location!));
    const res = await browser
      .get(`/auth/connect/google/callback${callback.search}`)
      .set('Accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_state');
  });

  it("when one provider's allowlist admits a domain, then only sign-ins through that provider are admitted by it", async () => {
    const { app } = await service({ ALLOWED_DOMAINS: '', OKTA_ALLOWED_DOMAINS: 'partner.example' });
    okta.nextLogin({ sub: 'p-1', email: 'pat@partner.example' });
    expect((await signInWith(request.agent(app.callback()), okta, 'okta')).status).toBe(302);
    google.nextLogin({ sub: 'g-p', email: 'pia@partner.example', hd: 'partner.example' });
    const viaGoogle = await signInWith(request.agent(app.callback()), google, 'google');
    expect(viaGoogle.status).toBe(403);
    expect(viaGoogle.body.error_description).toContain('(not_allowed)');
  });

  it("when another provider asserts a signed-in user's verified email, then the sign-in is refused (account_conflict) and nothing is linked", async () => {
    const { app, directory } = await service();
    google.nextLogin({ sub: 'victim', email: 'victim@example.com' });
    expect((await signInWith(request.agent(app.callback()), google, 'google')).status).toBe(302);
    okta.nextLogin({ sub: 'attacker', email: 'victim@example.com', email_verified: true });
    const attempt = await signInWith(request.agent(app.callback()), okta, 'okta');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error).toBe('access_denied');
    expect(attempt.body.error_description).toContain('(account_conflict)');
    expect(await directory.findByIdentity('okta', 'attacker')).toBeUndefined();
  });

  it('when LINK_BY_VERIFIED_EMAIL is on and both emails are verified, then the second identity joins the same user', async () => {
    const { app, directory } = await service({ LINK_BY_VERIFIED_EMAIL: 'true' });
    google.nextLogin({ sub: 'g-link', email: 'lin@example.com' });
    expect((await signInWith(request.agent(app.callback()), google, 'google')).status).toBe(302);
    okta.nextLogin({ sub: 'o-link', email: 'lin@example.com', email_verified: true });
    expect((await signInWith(request.agent(app.callback()), okta, 'okta')).status).toBe(302);
    const user = await directory.findByIdentity('google', 'g-link');
    expect((await directory.findByIdentity('okta', 'o-link'))?.id).toBe(user!.id);
  });

  it('when LINK_BY_VERIFIED_EMAIL is on but the new email is not verified, then it is refused', async () => {
    const { app, directory } = await service({ LINK_BY_VERIFIED_EMAIL: 'true' });
    google.nextLogin({ sub: 'g-uv', email: 'uv@example.com' });
    expect((await signInWith(request.agent(app.callback()), google, 'google')).status).toBe(302);
    okta.nextLogin({ sub: 'o-uv', email: 'uv@example.com', email_verified: false });
    const attempt = await signInWith(request.agent(app.callback()), okta, 'okta');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error_description).toContain('(email_not_verified)');
    expect(await directory.findByIdentity('okta', 'o-uv')).toBeUndefined();
  });

  it('when one provider is down, then sign-in with the other works and /readyz is ready, naming which', async () => {
    const down = await startFakeGoogle({ clientId: 'c', clientSecret: 's' });
    await down.close();
    const env = {
      PROVIDERS: 'google,okta',
      OKTA_ISSUER: down.issuer,
      OKTA_CLIENT_ID: 'c',
      OKTA_CLIENT_SECRET: 's',
    };
    // Not awaiting discovery: okta never answers.
    const running = await startTestAuthService(google, env, fetch);
    await running.providers.get('google')!.loader.loaded;
    const app = running.app.callback();
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body.details.providers).toEqual({ google: true, okta: false });
    const unavailable = await request(app)
      .get('/auth/login?provider=okta')
      .set('Accept', 'application/json')
      .expect(503);
    expect(unavailable.body.error).toBe('temporarily_unavailable');
    expect((await signInWith(request.agent(app), google, 'google')).status).toBe(302);
    running.providers.stop();
  });

  it('when sign-ins happen, then each audit line and metric names the provider and the identity', async () => {
    const running = await service();
    okta.nextLogin({ sub: 'audited', email: 'aud@example.com' });
    await signInWith(request.agent(running.app.callback()), okta, 'okta');
    const line = running.logs.filter((l) => l.event === 'sign_in').at(-1);
    expect(line).toMatchObject({ provider: 'okta', decision: 'allowed', subject: 'audited' });
    okta.nextLogin({ sub: 'stranger', email: 's@elsewhere.example', hd: undefined });
    await signInWith(request.agent(running.app.callback()), okta, 'okta');
    expect(running.logs.filter((l) => l.event === 'sign_in').at(-1)).toMatchObject({
      provider: 'okta',
      decision: 'denied',
      subject: 'stranger',
      reason: 'not_allowed',
    });
  });

  it('when sign-ins are allowed and denied, then /metrics counts them per provider and decision', async () => {
    const metrics = createHttpMetrics('auth-service', { defaults: false });
    const running = await startTestAuthService(google, oktaEnv(), undefined, { metrics });
    okta.nextLogin({ sub: 'counted', email: 'count@example.com' });
    await signInWith(request.agent(running.app.callback()), okta, 'okta');
    google.nextLogin({ sub: 'g-out', email: 'out@elsewhere.example', hd: undefined });
    await signInWith(request.agent(running.app.callback()), google, 'google');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/auth_sign_ins_total\{provider="okta",decision="allowed"[^}]*\} 1/);
    expect(text).toMatch(/auth_sign_ins_total\{provider="google",decision="denied"[^}]*\} 1/);
  });

  it('when the last provider used is remembered, then the cookie is HttpOnly, SameSite=Lax and scoped to /auth/login', async () => {
    const { app } = await service();
    const callback = await signInWith(request.agent(app.callback()), okta, 'okta');
    const cookie = setCookie(callback, 'gatehouse_last_provider')!;
    expect(cookie).toMatch(/^gatehouse_last_provider=okta;/);
    expect(cookie).toMatch(/path=\/auth\/login/i);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
  });
});
