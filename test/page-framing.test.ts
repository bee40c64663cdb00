import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchBrowser, signInAs } from './support/browser.js';
import { CookieClient, type ClientResponse } from './support/cookie-client.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

/** What a browser sends when it navigates. */
const NAVIGATION = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

let system: RunningSystem;
let browser: Browser;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  system = await startSystem({ provider: 'dev-idp' });
  browser = await launchBrowser();
  // Another port on the same host: same-site, another origin, as in the report.
  attacker = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://attacker').searchParams.get('frame') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><iframe id="victim" src="${target.replace(/"/g, '&quot;')}" onload="this.dataset.loaded='yes'"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
  await system?.close();
});

/** A device authorization a CLI would start; its user code is what the pages show. */
async function startDevice(): Promise<{ user_code: string; verification_uri_complete: string }> {
  const res = await fetch(`${system.url}/auth/device_authorization`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'gatehouse-cli' }),
  });
  return (await res.json()) as { user_code: string; verification_uri_complete: string };
}

function expectNotFramable(res: ClientResponse): void {
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('content-security-policy')).toMatch(/(^|;)\s*frame-ancestors 'none'/);
}

describe('HTML pages through the gateway cannot be framed', () => {
  it('when any HTML page is fetched, then it carries X-Frame-Options DENY and frame-ancestors none', async () => {
    const person = new CookieClient();
    // Signed out, /auth/device sends the browser through sign-in: the dev-idp's form, at its origin.
    const signInForm = await person.request(`${system.url}/auth/device`, { headers: NAVIGATION });
    expect(signInForm.url).not.toContain(system.url);
    expectNotFramable(signInForm);

    const pages: [string, string, number][] = [
      ['the account page', '/', 200],
      ['an unknown path under /auth', '/auth/no-such-page', 404],
      ['a callback without a sign-in', '/auth/connect/google/callback?state=x&code=y', 400],
    ];
    for (const [, path, status] of pages) {
      const res = await person.request(`${system.url}${path}`, { headers: NAVIGATION });
      expect(res.status).toBe(status);
      expectNotFramable(res);
    }
  });

  it('when a signed-in person opens the device pages, then each carries the framing headers', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, system.url, { email: 'framed@example.com', name: 'Framed' });
    const { user_code } = await startDevice();
    for (const path of [
      '/auth/device',
      `/auth/device?user_code=${user_code}`,
      '/auth/device?user_code=BBBB-BBBB',
    ]) {
      const res = await page.goto(`${system.url}${path}`);
      const headers = await res!.allHeaders();
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-security-policy']).toMatch(/(^|;)\s*frame-ancestors 'none'/);
    }
    await context.close();
  });

  it('when a page on another origin frames /auth/device for a signed-in person, then Chromium blocks the frame', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, system.url, { email: 'victim@example.com', name: 'Victim' });
    const { verification_uri_complete } = await startDevice();

    await page.goto(`${attackerUrl}?frame=${encodeURIComponent(verification_uri_complete)}`);
    await page.locator('#victim[data-loaded="yes"]').waitFor({ state: 'attached' });
    const framed = page.frames().find((frame) => frame !== page.mainFrame())!;
    // A refused frame shows Chromium's own error document, never the page.
    expect(framed.url()).toBe('chrome-error://chromewebdata/');
    await expect(framed.locator('button[value="approve"]').count()).resolves.toBe(0);
    await context.close();
  });
});
