import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signInAs as signInTo, type DevIdpProfile } from './support/browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;
let browser: Browser;

beforeAll(async () => {
  system = await startSystem({ provider: 'dev-idp' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** From the demo page, through the dev-idp's sign-in form, back to the demo page. */
const signInAs = (page: Page, profile: DevIdpProfile) => signInTo(page, system.url, profile);

describe('the demo page in a real browser', () => {
  it('when a developer signs in with the dev-idp, then the page shows them and /api/me answers with their token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(system.url);
    await page.locator('#status', { hasText: 'Not signed in.' }).waitFor();

    await signInAs(page, { email: 'ada@example.com', name: 'Ada Lovelace' });
    await page.locator('#status', { hasText: 'Signed in as ada@example.com' }).waitFor();

    await page.locator('#call-api').click();
    await page.locator('#api-result', { hasText: 'ada@example.com' }).waitFor();
    const me = JSON.parse((await page.locator('#api-result').textContent()) ?? '{}') as Record<
      string,
      unknown
    >;
    expect(me).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', roles: [] });

    await page.locator('#signout').click();
    await page.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/auth/session')).status);
    expect(session).toBe(401);
    await context.close();
  });

  it('when the email is not verified, then the browser sees why and no session exists', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, { email: 'mallory@example.com', name: 'Mallory', unverified: true });
    await expect(page.locator('h1').textContent()).resolves.toBe('Access denied');
    await expect(page.locator('body').textContent()).resolves.toContain(
      'has not verified this email',
    );
    await page.goto(system.url);
    await page.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/auth/session')).status);
    expect(session).toBe(401);
    await context.close();
  });

  it('when a page on another origin posts a form to /auth/token with the session cookie, then it is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, { email: 'grace@example.com', name: 'Grace Hopper' });
    await page.locator('#status', { hasText: 'Signed in as grace@example.com' }).waitFor();
    // Same host, another port: same-site, so the SameSite=Lax cookie IS sent; only the
    // Origin / Sec-Fetch-Site check stands between this page and a token.
    const attacker = await context.newPage();
    await attacker.goto(`${system.authUrl}/healthz`);
    await attacker.evaluate((action) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = action;
      document.body.append(form);
      form.submit();
    }, `${system.url}/auth/token`);
    await attacker.waitForURL(`${system.url}/auth/token`);
    const body = await attacker.locator('body').textContent();
    expect(body).toContain('cross_site_request');
    expect(body).not.toContain('access_token');
    await context.close();
  });
});
