import { describe, expect, it, jest } from '@jest/globals';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { setCookie, signIn } from '../support/test-app.js';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';

const fixture = useSignInFixture();
const agent = () => fixture.agent();

describe('callback state', () => {
  it('when the state does not match the session, then 400 invalid_state and no session', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    callback.searchParams.set('state', 'f'.repeat(40));
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(400);
    expect(response.body.error).toBe('invalid_state');
    expect(response.body.error_description).toContain('(state_mismatch)');
    await browser.get('/auth/session').expect(401);
  });

  it('when a callback arrives in a browser that started no sign-in (login CSRF, or another address), then 400 invalid_state naming PUBLIC_URL', async () => {
    const victim = agent();
    const attacker = agent();
    await attacker.get('/auth/login').expect(302);
    const connect = await attacker.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    const response = await victim
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(400);
    expect(response.body.error_description).toContain('(no_pending_sign_in)');
    expect(response.body.error_description).toContain('start again at http://localhost:8080/');
  });

  it('when a completed callback is replayed in the same browser, then 400 invalid_state and the user stays signed in', async () => {
    const browser = agent();
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    const path = `${callback.pathname}${callback.search}`;
    await browser.get(path).expect(302);
    const replay = await browser.get(path).set('Accept', 'application/json').expect(400);
    expect(replay.body.error).toBe('invalid_state');
    expect(setCookie(replay, SESSION_COOKIE)).toBeUndefined();
    await browser.get('/auth/session').expect(200);
  });

  it('when another site sends a signed-in browser to the callback, then 400 and the user stays signed in', async () => {
    const browser = agent();
    expect((await signIn(browser, fixture.google)).status).toBe(302);
    await browser
      .get('/auth/connect/google/callback?state=x&code=y')
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Accept', 'application/json')
      .expect(400);
    await browser.get('/auth/session').expect(200);
  });

  it('when a signed-in browser gets a forged callback during a new sign-in, then the stored session is not rewritten and the user stays signed in', async () => {
    const browser = agent();
    expect((await signIn(browser, fixture.google)).status).toBe(302);
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    const forged = `${callback.pathname}?state=${'f'.repeat(40)}&code=forged`;
    const updates = jest.spyOn(fixture.service.sessions, 'update');
    try {
      await browser.get(forged).set('Accept', 'application/json').expect(400);
      expect(updates).not.toHaveBeenCalled();
    } finally {
      updates.mockRestore();
    }
    await browser.get('/auth/session').expect(200);
    // Nothing was written: the sign-in this browser started can still complete.
    await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(302);
    await browser.get('/auth/session').expect(200);
  });

  it('when the provider refuses the code in a signed-in session, then nothing is written back', async () => {
    const browser = agent();
    expect((await signIn(browser, fixture.google)).status).toBe(302);
    await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    fixture.google.misbehave({ tokenError: 'invalid_grant' });
    const updates = jest.spyOn(fixture.service.sessions, 'update');
    try {
      const refused = await browser
        .get(`${callback.pathname}${callback.search}`)
        .set('Accept', 'application/json')
        .expect(400);
      expect(refused.body.error).toBe('invalid_grant');
      expect(updates).not.toHaveBeenCalled();
    } finally {
      updates.mockRestore();
    }
    await browser.get('/auth/session').expect(200);
  });

  it('when the pending sign-in has no nonce, then 400 invalid_state before any token exchange', async () => {
    const browser = agent();
    const login = await browser.get('/auth/login').expect(302);
    const connect = await browser.get('/auth/connect/google').expect(302);
    const id = setCookie(login, SESSION_COOKIE)?.split(';')[0]?.split('=')[1];
    const stored = (await fixture.service.sessions.get(id!)) as { grant: { nonce?: string } };
    delete stored.grant.nonce;
    await fixture.service.sessions.update(id!, stored);
    const callback = new URL(await fixture.google.authorize(connect.headers.location!));
    const response = await browser
      .get(`${callback.pathname}${callback.search}`)
      .set('Accept', 'application/json')
      .expect(400);
    expect(response.body.error).toBe('invalid_state');
    expect(fixture.google.requests).not.toContain('/token');
    await browser.get('/auth/session').expect(401);
  });

  it('when an unknown grant path is requested, then 404 and never grant', async () => {
    await agent().get('/auth/connect/github').set('Accept', 'application/json').expect(404);
    await agent().get('/auth/connect/google/evil').set('Accept', 'application/json').expect(404);
  });
});
