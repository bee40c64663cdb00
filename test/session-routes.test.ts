import type { IncomingHttpHeaders } from 'node:http';
import { tempRoutesFile } from '../gateway/test/support/routes-file.js';
import { startUpstream, type TestUpstream } from '../gateway/test/support/upstream.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { addressFetch } from './support/address-fetch.js';
import { CookieClient } from './support/cookie-client.js';
import { startSystem, type RunningSystem } from './support/start-system.js';
import { until } from './support/until.js';

const NAVIGATION = { accept: 'text/html', 'sec-fetch-mode': 'navigate' };
/** Sends headers as given: the global fetch (undici) always says `Sec-Fetch-Mode: cors`. */
const browserFetch = addressFetch('127.0.0.1');
const SCRIPT = { accept: 'application/json', 'sec-fetch-mode': 'cors' };

describe('session routes through the whole system: sign-in, the pass, sign-out', () => {
  let system: RunningSystem;
  let echo: TestUpstream;
  let file: ReturnType<typeof tempRoutesFile>;

  beforeAll(async () => {
    echo = await startUpstream();
    file = tempRoutesFile(
      `routes:
  - { name: api, path: /api, to: "\${API_SERVICE_URL}", auth: public }
  - { name: dash, path: /dash, to: ${echo.url}, auth: session }
`,
    );
    system = await startSystem({ gatewayEnv: { ROUTES_FILE: file.path } });
  });

  afterAll(async () => {
    await system.close();
    await echo.close();
    file.remove();
  });

  /** A browser that opened /dash signed out and went through sign-in. */
  const signedInBrowser = async (path = '/dash/board?tab=2') => {
    const browser = new CookieClient(browserFetch);
    const landed = await browser.request(`${system.url}${path}`, { headers: NAVIGATION });
    return { browser, landed };
  };
  const passOf = (browser: CookieClient) => browser.cookie(system.url, 'gatehouse');
  const seenBy = (text: string) =>
    JSON.parse(text) as { url: string; headers: IncomingHttpHeaders };

  it('when a signed-out browser opens a session route, then it signs in and lands on the same URL, and the app reads who it is', async () => {
    const { landed } = await signedInBrowser();
    expect(landed.status).toBe(200);
    expect(landed.url).toBe(`${system.url}/dash/board?tab=2`);
    expect(landed.hops[1]).toBe(`${system.url}/auth/pass?returnTo=%2Fdash%2Fboard%3Ftab%3D2`);
    expect(landed.hops.some((hop) => hop.startsWith(`${system.url}/auth/login`))).toBe(true);
    const seen = seenBy(landed.text);
    expect(seen.url).toBe('/dash/board?tab=2');
    expect(seen.headers['x-gatehouse-email']).toBe('developer@example.com');
    expect(seen.headers.cookie).toBeUndefined();
  });

  it('when the pass is set, then it is HttpOnly, SameSite=Lax, Path=/ and lives as long as an access token, holding a token for the gateway only', async () => {
    const browser = new CookieClient();
    await browser.request(`${system.url}/auth/login?returnTo=%2F`);
    const res = await fetch(`${system.url}/auth/pass?returnTo=%2Fdash%2F`, {
      redirect: 'manual',
      headers: { cookie: sessionCookieHeader(browser) },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dash/');
    const line = res.headers.getSetCookie().find((l) => l.startsWith('gatehouse='))!;
    expect(line).toMatch(/; path=\/;/);
    const expires = Date.parse(/; expires=([^;]+)/.exec(line)![1]!);
    expect(Math.abs(expires - (Date.now() + 600_000))).toBeLessThan(5_000);
    expect(line).toMatch(/; samesite=lax/i);
    expect(line).toMatch(/; httponly/i);
    expect(line).not.toMatch(/; domain=/i);
    const token = line.slice('gatehouse='.length, line.indexOf(';'));
    const claims = decodeJwt(token);
    expect(claims.aud).toBe(system.url);
    expect(claims.exp! - claims.iat!).toBe(600);
    // An API refuses it: its audience is gatehouse-api.
    const api = await fetch(`${system.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toMatch(/invalid_token/);

    function sessionCookieHeader(client: CookieClient) {
      return `gatehouse_session=${client.cookie(system.url, 'gatehouse_session')}; gatehouse_session.sig=${client.cookie(system.url, 'gatehouse_session.sig')}`;
    }
  });

  it('when a script calls the session route without the pass, then 401, not a redirect', async () => {
    const res = await fetch(`${system.url}/dash/data`, { headers: SCRIPT, redirect: 'manual' });
    expect(res.status).toBe(401);
  });

  it('when the browser signs out, then its pass is cleared, and a copy of it is refused within the revocation delay', async () => {
    const { browser } = await signedInBrowser();
    const copied = passOf(browser)!;
    expect(copied).toBeDefined();
    const out = await browser.request(`${system.url}/auth/logout`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    expect(out.status).toBe(204);
    expect(passOf(browser)).toBeUndefined();
    await until('the copied pass refused', 10_000, async () => {
      const res = await fetch(`${system.url}/dash/data`, {
        headers: { ...SCRIPT, cookie: `gatehouse=${copied}` },
      });
      return res.status === 401;
    });
    // A navigation with it goes through sign-in again rather than into the app.
    const again = await browserFetch(`${system.url}/dash/`, {
      headers: { ...NAVIGATION, cookie: `gatehouse=${copied}` },
    });
    expect(again.status).toBe(302);
  });

  it('when the user signs out everywhere from another browser, then the first browser loses the app within the revocation delay', async () => {
    const { browser: first } = await signedInBrowser();
    const { browser: second } = await signedInBrowser();
    const res = await second.request(`${system.url}/auth/logout`, {
      method: 'POST',
      headers: { origin: system.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'everywhere=1',
    });
    expect(res.status).toBe(204);
    await until('the other browser refused', 10_000, async () => {
      const reply = await fetch(`${system.url}/dash/data`, {
        headers: { ...SCRIPT, cookie: `gatehouse=${passOf(first)}` },
      });
      return reply.status === 401;
    });
  });

  it('when the user is disabled, then /auth/pass sets no pass and asks for sign-in again, and the pass held is refused', async () => {
    system.google!.nextLogin({ sub: 'mallory-1', email: 'mallory@example.com', name: 'Mallory' });
    const { browser, landed } = await signedInBrowser('/dash/');
    system.google!.reset();
    expect(seenBy(landed.text).headers['x-gatehouse-email']).toBe('mallory@example.com');
    expect(await system.users('disable', 'mallory@example.com')).toBe(0);
    const renew = await browser.request(`${system.url}/auth/pass?returnTo=%2Fdash%2F`, {
      maxRedirects: 0,
    });
    expect(renew.status).toBe(302);
    expect(renew.headers.get('location')).toBe(
      `/auth/login?returnTo=${encodeURIComponent('/auth/pass?returnTo=%2Fdash%2F')}`,
    );
    await until('the disabled user refused', 10_000, async () => {
      const reply = await fetch(`${system.url}/dash/data`, {
        headers: { ...SCRIPT, cookie: `gatehouse=${passOf(browser)}` },
      });
      return reply.status === 401;
    });
  });

  it('when returnTo names another origin, then /auth/pass sends the browser home instead', async () => {
    const { browser } = await signedInBrowser('/dash/');
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await browser.request(
        `${system.url}/auth/pass?returnTo=${encodeURIComponent(returnTo)}`,
        { maxRedirects: 0 },
      );
      expect(res.headers.get('location')).toBe('/');
    }
  });
});
