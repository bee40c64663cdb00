import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempRoutesFile } from '../gateway/test/support/routes-file.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, type DevIdpProfile } from './support/browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';
import { until } from './support/until.js';

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * A server-rendered app that knows nothing of tokens: it greets whoever X-Gatehouse-Email
 * names, offers a form that posts back, and records what it received.
 */
async function startWebApp() {
  const seen: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url?.startsWith('/dash/data')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ email: req.headers['x-gatehouse-email'] }));
      return;
    }
    const who = String(req.headers['x-gatehouse-email'] ?? 'nobody');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Dash</title><h1 id="who">Hello ${escape(who)}</h1>` +
        `<p id="url">${escape(req.url ?? '')}</p>` +
        `<form method="post" action="/dash/save"><button id="save">Save</button></form>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

/** Another site's page that posts a form to the app as soon as it loads. */
async function startOtherSite(target: string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!doctype html><form id="f" method="post" action="${target}"><input name="x" value="1"></form>` +
        `<script>document.getElementById('f').submit()</script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

let system: RunningSystem;
let app: Awaited<ReturnType<typeof startWebApp>>;
let browser: Browser;
let file: ReturnType<typeof tempRoutesFile>;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  app = await startWebApp();
  file = tempRoutesFile(
    `routes:
  - { name: api, path: /api, to: "\${API_SERVICE_URL}", auth: public }
  - { name: dash, path: /dash, to: ${app.url}, auth: session }
`,
  );
  system = await startSystem({ provider: 'dev-idp', gatewayEnv: { ROUTES_FILE: file.path } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await system?.close();
  app?.server.close();
  file.remove();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

/** Opens `path` signed out and signs in at the dev-idp's form it lands on. */
async function openSignedIn(page: Page, path: string, profile: DevIdpProfile): Promise<void> {
  await page.goto(`${system.url}${path}`);
  await page.locator('input[name="email"]').fill(profile.email);
  await page.locator('input[name="name"]').fill(profile.name);
  await page.locator('#sign-in').click();
  await page.waitForURL(`${system.url}${path}`);
}

const passCookie = async (page: Page) =>
  (await page.context().cookies(system.url)).find((c) => c.name === 'gatehouse');
const fetchStatus = (page: Page, path: string) =>
  page.evaluate(async (p) => (await fetch(p)).status, path);

describe('a web app behind a session route, in a real browser', () => {
  it('when a signed-out browser opens an app page, then it signs in at the provider and comes back to the same page and query, greeted by name', async () => {
    const page = await newPage();
    const devIdp: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(system.url)) devIdp.push(req.url());
    });
    await openSignedIn(page, '/dash/board?tab=2&q=a%20b', {
      email: 'web@example.com',
      name: 'Web User',
    });
    expect(devIdp.length).toBeGreaterThan(0);
    await expect(page.locator('#who').textContent()).resolves.toBe('Hello web@example.com');
    await expect(page.locator('#url').textContent()).resolves.toBe('/dash/board?tab=2&q=a%20b');
    const cookie = await passCookie(page);
    expect(cookie).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Lax', secure: false });
    // Lives as long as an access token (ACCESS_TOKEN_TTL, 600 s by default).
    expect(cookie!.expires * 1000 - Date.now()).toBeGreaterThan(590_000);
    // Chromium sets expiry as its now + (Expires - Date), both headers whole seconds: up to
    // one second more than ACCESS_TOKEN_TTL.
    expect(cookie!.expires * 1000 - Date.now()).toBeLessThanOrEqual(601_000);
    // Scripts cannot read it.
    await expect(page.evaluate(() => document.cookie)).resolves.not.toContain('gatehouse=');
    // The app's own scripts call it with the pass.
    await expect(fetchStatus(page, '/dash/data')).resolves.toBe(200);
  });

  it('when the pass has expired but the session lives, then the next page load renews it with no sign-in page', async () => {
    const page = await newPage();
    await openSignedIn(page, '/dash/', { email: 'renew@example.com', name: 'Renew User' });
    const before = (await passCookie(page))!.value;
    await page.context().clearCookies({ name: 'gatehouse' }); // as the browser drops it at expiry
    await expect(fetchStatus(page, '/dash/data')).resolves.toBe(401);
    const visited: string[] = [];
    page.on('request', (req) => {
      if (req.isNavigationRequest()) visited.push(new URL(req.url()).pathname);
    });
    await page.goto(`${system.url}/dash/again?x=1`);
    await expect(page.locator('#who').textContent()).resolves.toBe('Hello renew@example.com');
    expect(page.url()).toBe(`${system.url}/dash/again?x=1`);
    expect(visited).toEqual(['/dash/again', '/auth/pass', '/dash/again']);
    expect((await passCookie(page))!.value).not.toBe(before);
  });

  it("when another site's page posts a form to the app, then the gateway refuses it and the app never sees it", async () => {
    const page = await newPage();
    await openSignedIn(page, '/dash/', { email: 'csrf@example.com', name: 'Csrf User' });
    const other = await startOtherSite(`${system.url}/dash/save`);
    try {
      const posts = () => app.seen.filter((r) => r.method === 'POST').length;
      const before = posts();
      const answered = page.waitForResponse(`${system.url}/dash/save`);
      await page.goto(other.url);
      const res = await answered;
      expect(res.status()).toBe(403);
      await expect(res.json()).resolves.toMatchObject({ error: 'cross_site_request' });
      expect(posts()).toBe(before);
      // The same form from the app's own page goes through.
      await page.goto(`${system.url}/dash/`);
      const own = page.waitForResponse(`${system.url}/dash/save`);
      await page.locator('#save').click();
      expect((await own).status()).toBe(200);
      expect(posts()).toBe(before + 1);
    } finally {
      other.server.close();
    }
  });

  it('when the user signs out on the account page, then the pass is gone and the app asks for sign-in again', async () => {
    const page = await newPage();
    await openSignedIn(page, '/dash/', { email: 'out@example.com', name: 'Out User' });
    await page.goto(system.url);
    await page.locator('#signout').click();
    await page.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    expect(await passCookie(page)).toBeUndefined();
    await page.goto(`${system.url}/dash/`);
    await page.locator('input[name="email"]').waitFor(); // the dev-idp's form
  });

  it('when the user signs out everywhere in another browser, then this browser loses the app within the revocation delay', async () => {
    const profile = { email: 'everywhere@example.com', name: 'Every Where' };
    const laptop = await newPage();
    await openSignedIn(laptop, '/dash/', profile);
    const phone = await newPage();
    await openSignedIn(phone, '/dash/', profile);
    await phone.goto(system.url);
    await phone.locator('#signout-everywhere').click();
    await phone.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    await until(
      'the laptop refused',
      10_000,
      async () => (await fetchStatus(laptop, '/dash/data')) === 401,
    );
    await laptop.goto(`${system.url}/dash/`);
    await laptop.locator('input[name="email"]').waitFor();
  });
});
