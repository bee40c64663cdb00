import { describe, expect, it } from '@jest/globals';
import { SESSION_COOKIE } from '../../src/sessions/session-middleware.js';
import { useSignInFixture } from '../support/sign-in-fixture.js';
import { request, setCookie, signIn } from '../support/test-app.js';

const fixture = useSignInFixture();
const agent = () => fixture.agent();

describe('session and logout', () => {
  it('when signed out, then GET /auth/session is 401 login_required', async () => {
    const response = await agent().get('/auth/session').expect(401);
    expect(response.body.error).toBe('login_required');
  });

  it('when a user logs out, then a copied cookie is worthless afterwards', async () => {
    const browser = agent();
    const callback = await signIn(browser, fixture.google);
    const copied = ['', '.sig']
      .map((suffix) => setCookie(callback, `${SESSION_COOKIE}${suffix}`)!.split(';')[0])
      .join('; ');
    const thief = () =>
      request(fixture.service.app.callback()).get('/auth/session').set('Cookie', copied);
    await thief().expect(200);

    await browser.post('/auth/logout').set('Origin', 'http://localhost:8080').expect(204);
    await browser.get('/auth/session').expect(401);
    await thief().expect(401);
  });

  it('when an HTML form posts logout, then 303 to /', async () => {
    const browser = agent();
    await signIn(browser, fixture.google);
    const response = await browser
      .post('/auth/logout')
      .set('Origin', 'http://localhost:8080')
      .set('Accept', 'text/html')
      .expect(303);
    expect(response.headers.location).toBe('/');
  });

  it('when logout comes from another origin, then 403 cross_site_request and the session lives', async () => {
    const browser = agent();
    await signIn(browser, fixture.google);
    const response = await browser
      .post('/auth/logout')
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(response.body.error).toBe('cross_site_request');
    await browser.get('/auth/session').expect(200);
  });

  it('when a signed-in user is disabled, then the next request is 401 and the session is ended', async () => {
    const browser = agent();
    fixture.google.nextLogin({ sub: 'later-disabled', email: 'later@example.com' });
    await signIn(browser, fixture.google);
    const user = (await fixture.service.directory.findByEmail('later@example.com'))!;
    await fixture.service.directory.setDisabled(user.id, true);
    await browser.get('/auth/session').expect(401);
    await fixture.service.directory.setDisabled(user.id, false);
    await browser.get('/auth/session').expect(401);
  });

  it('when the session has been idle past SESSION_IDLE_TIMEOUT, then it has ended', async () => {
    const browser = agent();
    await signIn(browser, fixture.google);
    fixture.service.advance(fixture.service.config.session.idleTimeoutMs - 1000);
    await browser.get('/auth/session').expect(200);
    fixture.service.advance(fixture.service.config.session.idleTimeoutMs + 1000);
    await browser.get('/auth/session').expect(401);
  });
});
