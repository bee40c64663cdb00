import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningDevIdp } from '../src/server.js';
import { CookieJar } from './support/cookie-jar.js';
import {
  authorizationUrl,
  authorize,
  discover,
  formAction,
  locationOf,
  send,
  type Discovery,
} from './support/sign-in-flow.js';
import { startDevIdp } from './support/start-dev-idp.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('sign-in page', () => {
  let idp: RunningDevIdp;
  let discovery: Discovery;

  beforeAll(async () => {
    idp = await startDevIdp();
    discovery = await discover(idp.issuer);
  });
  afterAll(() => idp.close());

  /** Starts an authorization and returns the sign-in page's URL and HTML. */
  async function openSignIn(jar = new CookieJar(), overrides: Record<string, string> = {}) {
    const { url } = authorizationUrl(discovery, overrides);
    const pageUrl = locationOf(await send(jar, url), url);
    const page = await send(jar, pageUrl);
    return { jar, pageUrl, page, html: await page.text() };
  }

  it('when an authorization starts, then the page offers the documented fields with defaults', async () => {
    const { page, html, pageUrl } = await openSignIn();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(pageUrl.pathname).toMatch(/^\/interaction\/[\w-]+$/);
    expect(html).toContain('name="email" value="developer@example.com"');
    expect(html).toContain('name="name" value="Dev Eloper"');
    expect(html).toMatch(/<input type="checkbox" id="unverified" name="unverified" value="1">/);
    expect(html).toContain('<button type="submit" id="sign-in">');
    expect(html).toContain('<form method="post"');
    expect(formAction(html)).toBe(pageUrl.pathname);
  });

  it('when the page is rendered, then it loads nothing from elsewhere and runs no script', async () => {
    const { html } = await openSignIn();
    expect(html).not.toMatch(/<script|<link|@import|\bsrc=|https?:\/\//i);
  });

  it('when login_hint is sent, then the email field starts with it', async () => {
    const { html } = await openSignIn(new CookieJar(), { login_hint: 'hinted@example.net' });
    expect(html).toContain('name="email" value="hinted@example.net"');
  });

  it('when the email is malformed, then the form comes back with the problem and the typed values, escaped', async () => {
    const { jar, pageUrl } = await openSignIn();
    const response = await send(jar, pageUrl, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ email: 'not-an-email', name: '<script>x</script>' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('id="problems"');
    expect(html).toContain('Enter an email address');
    expect(html).toContain('value="not-an-email"');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('when the form is posted from another origin, then it is refused with cross_site_request', async () => {
    const { jar, pageUrl } = await openSignIn();
    const response = await send(jar, pageUrl, {
      method: 'POST',
      headers: { ...FORM, origin: 'https://evil.example' },
      body: new URLSearchParams({ email: 'victim@example.com', name: 'Victim' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'cross_site_request' });
  });

  it('when the browser marks the post cross-site, then it is refused too', async () => {
    const { jar, pageUrl } = await openSignIn();
    const response = await send(jar, pageUrl, {
      method: 'POST',
      headers: { ...FORM, 'sec-fetch-site': 'cross-site' },
      body: new URLSearchParams({ email: 'victim@example.com', name: 'Victim' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'cross_site_request' });
  });

  it('when the form is posted without the interaction cookie, then it is refused and nothing is redirected', async () => {
    const { pageUrl } = await openSignIn();
    const response = await send(new CookieJar(), pageUrl, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ email: 'developer@example.com', name: 'Dev Eloper' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('when a browser posts without the interaction cookie, then it gets the refusal as a page', async () => {
    const { pageUrl } = await openSignIn();
    const response = await send(new CookieJar(), pageUrl, {
      method: 'POST',
      headers: { ...FORM, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      body: new URLSearchParams({ email: 'developer@example.com', name: 'Dev Eloper' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('start again from the application');
  });

  it("when the cookie of one sign-in is used on another sign-in's page, then it is refused", async () => {
    const first = await openSignIn();
    const second = await openSignIn();
    const response = await send(first.jar, second.pageUrl, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ email: 'developer@example.com', name: 'Dev Eloper' }),
    });
    expect(response.status).toBe(400);
  });

  it('when a signed-in browser authorizes again, then the page is shown again, filled with the last profile', async () => {
    const { jar } = await authorize(discovery, {
      email: 'returning@example.com',
      name: 'Re Turning',
    });
    const { page, html } = await openSignIn(jar);
    expect(page.status).toBe(200);
    expect(html).toContain('name="email" value="returning@example.com"');
    expect(html).toContain('name="name" value="Re Turning"');
  });

  it('when the interaction id is unknown, then the page is refused', async () => {
    const response = await send(new CookieJar(), `${idp.issuer}/interaction/unknown-id`);
    expect(response.status).toBe(400);
  });
});
