import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeGoogle } from '../../../../test/support/fake-google.js';
import {
  request,
  startFakeGoogle,
  startTestAuthService,
  type Agent,
  type TestAuthService,
} from '../support/test-app.js';
import { signInWith } from '../support/provider-sign-in.js';

const SAME_ORIGIN = { Origin: 'http://localhost:8080' };
let google: FakeGoogle;
let okta: FakeGoogle;
let service: TestAuthService;

beforeAll(async () => {
  google = await startFakeGoogle();
  okta = await startFakeGoogle({ clientId: 'okta-client', clientSecret: 'okta-secret' });
  service = await startTestAuthService(google, {
    PROVIDERS: 'google,okta',
    OKTA_ISSUER: okta.issuer,
    OKTA_CLIENT_ID: okta.clientId,
    OKTA_CLIENT_SECRET: okta.clientSecret,
  });
});
afterAll(async () => {
  await google.close();
  await okta.close();
});
beforeEach(() => {
  google.reset();
  okta.reset();
});

const agent = () => request.agent(service.app.callback());

/** Starts "link another provider" from the account page and completes it at `idp`. */
async function link(browser: Agent, idp: FakeGoogle, provider: string) {
  const start = await browser
    .post('/auth/account/identities/link')
    .set(SAME_ORIGIN)
    .type('form')
    .send({ provider })
    .expect(303);
  expect(start.headers.location).toBe(`/auth/connect/${provider}`);
  const connect = await browser.get(start.headers.location!).expect(302);
  const callback = new URL(await idp.authorize(connect.headers.location!));
  return browser.get(`${callback.pathname}${callback.search}`).set('Accept', 'application/json');
}

describe('linking identities from the account page', () => {
  it('when a signed-in user links another provider, then both identities sign in as the same user and the account page lists them', async () => {
    const browser = agent();
    google.nextLogin({ sub: 'g-ada', email: 'ada@example.com' });
    await signInWith(browser, google, 'google');
    const before = (await browser.get('/auth/session').expect(200)).body.sub as string;

    // The Okta account carries another email: linking never compares emails.
    okta.nextLogin({ sub: 'o-ada', email: 'ada@partner.example', email_verified: false });
    const linked = await link(browser, okta, 'okta');
    expect(linked.status).toBe(302);
    expect(linked.headers.location).toBe('/');
    expect((await browser.get('/auth/session').expect(200)).body).toMatchObject({
      sub: before,
      provider: 'google',
    });

    const page = await browser.get('/auth/account').expect(200);
    expect(page.body.identities).toEqual([
      expect.objectContaining({ provider: 'google', subject: 'g-ada', current: true }),
      expect.objectContaining({ provider: 'okta', subject: 'o-ada', current: false, email: null }),
    ]);
    expect(page.body.providers).toEqual([
      { id: 'google', name: 'Google' },
      { id: 'okta', name: 'Okta' },
    ]);

    const other = agent();
    expect((await signInWith(other, okta, 'okta')).status).toBe(302);
    expect((await other.get('/auth/session').expect(200)).body).toMatchObject({
      sub: before,
      email: 'ada@example.com',
      provider: 'okta',
    });
    const audit = service.logs.filter((l) => l.event === 'sign_in' && l.decision === 'linked');
    expect(audit).toEqual([expect.objectContaining({ provider: 'okta', subject: 'o-ada' })]);
  });

  it("when the identity is another user's, then linking is refused (identity_taken) and it stays theirs", async () => {
    google.nextLogin({ sub: 'g-owner', email: 'owner@example.com' });
    okta.nextLogin({ sub: 'o-owner', email: 'owner@example.com', email_verified: false });
    const owner = agent();
    await signInWith(owner, google, 'google');
    expect((await link(owner, okta, 'okta')).status).toBe(302);
    const ownerId = (await service.directory.findByIdentity('okta', 'o-owner'))!.id;

    google.nextLogin({ sub: 'g-thief', email: 'thief@example.com' });
    const thief = agent();
    await signInWith(thief, google, 'google');
    const attempt = await link(thief, okta, 'okta');
    expect(attempt.status).toBe(403);
    expect(attempt.body.error_description).toContain('(identity_taken)');
    expect((await service.directory.findByIdentity('okta', 'o-owner'))!.id).toBe(ownerId);
    // The refused link left the thief signed in as before.
    expect((await thief.get('/auth/session').expect(200)).body.email).toBe('thief@example.com');
  });

  it('when a user unlinks, then the last identity is kept (409) and an unlinked one no longer signs in as them', async () => {
    google.nextLogin({ sub: 'g-un', email: 'un@example.com' });
    okta.nextLogin({ sub: 'o-un', email: 'un-okta@example.com', email_verified: true });
    const browser = agent();
    await signInWith(browser, google, 'google');
    await link(browser, okta, 'okta');
    const userId = (await service.directory.findByIdentity('google', 'g-un'))!.id;

    const unlink = (provider: string, subject: string) =>
      browser
        .post('/auth/account/identities/unlink')
        .set(SAME_ORIGIN)
        .type('form')
        .send({ provider, subject });
    await unlink('okta', 'o-un').expect(204);
    await unlink('okta', 'o-un').expect(404);
    const last = await unlink('google', 'g-un').expect(409);
    expect(last.body.error).toBe('last_identity');

    // Okta now is a stranger's first sign-in: a new user, not this one.
    const again = agent();
    expect((await signInWith(again, okta, 'okta')).status).toBe(302);
    expect((await again.get('/auth/session').expect(200)).body.sub).not.toBe(userId);
  });

  it('when the link form is posted cross-site, signed out, or names an unknown provider, then nothing starts', async () => {
    await agent()
      .post('/auth/account/identities/link')
      .set({ Origin: 'https://evil.example' })
      .type('form')
      .send({ provider: 'okta' })
      .expect(403);
    await agent()
      .post('/auth/account/identities/link')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ provider: 'okta' })
      .expect(401);
    google.nextLogin({ sub: 'g-bad', email: 'bad@example.com' });
    const browser = agent();
    await signInWith(browser, google, 'google');
    const unknown = await browser
      .post('/auth/account/identities/link')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ provider: 'github' })
      .expect(400);
    expect(unknown.body.error).toBe('invalid_request');
  });

  it('when a link was started and the user then signs in normally, then the sign-in is not turned into a link', async () => {
    google.nextLogin({ sub: 'g-switch', email: 'switch@example.com' });
    const browser = agent();
    await signInWith(browser, google, 'google');
    await browser
      .post('/auth/account/identities/link')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ provider: 'okta' })
      .expect(303);
    okta.nextLogin({ sub: 'o-switch', email: 'switch2@example.com', email_verified: true });
    expect((await signInWith(browser, okta, 'okta')).status).toBe(302);
    const session = (await browser.get('/auth/session').expect(200)).body;
    expect(session).toMatchObject({ email: 'switch2@example.com', provider: 'okta' });
    expect((await service.directory.findByIdentity('google', 'g-switch'))!.id).not.toBe(
      session.sub,
    );
  });
});
