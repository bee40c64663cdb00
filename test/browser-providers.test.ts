import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './support/browser.js';
import type { FakeGoogle } from './support/fake-google.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

/** The demo (account) page in Chromium with two providers: Google and Okta, both fakes. */
let system: RunningSystem;
let google: FakeGoogle;
let okta: FakeGoogle;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  system = await startSystem({ extraProviders: ['okta'] });
  google = system.providers.google!;
  okta = system.providers.okta!;
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await system?.close();
});
beforeEach(() => {
  google.reset();
  okta.reset();
});

async function freshPage(): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(system.url);
  await page.locator('#status', { hasText: 'Not signed in.' }).waitFor();
  return page;
}

const choices = (page: Page) => page.locator('ul.providers a.button[data-provider]');

/** From the signed-out demo page, "Sign in", then the choice page's button for `name`. */
async function signInWith(page: Page, name: string, email: string): Promise<void> {
  await page.locator('#signin').click();
  await page.waitForURL(`${system.url}/auth/login?returnTo=/`);
  await page.locator('a.button', { hasText: `Sign in with ${name}` }).click();
  await page.waitForURL(`${system.url}/`);
  await page.locator('#status', { hasText: `Signed in as ${email}` }).waitFor();
}

const identityRows = (page: Page) => page.locator('#identities tbody tr');

describe('several providers in a real browser', () => {
  it('when the user signs in from the demo page, then the choice page offers both, Okta signs them in, and next time Okta is listed first as last used', async () => {
    okta.nextLogin({ sub: 'okta-ann', email: 'ann@example.com', name: 'Ann Okta', hd: undefined });
    const page = await freshPage();

    await page.locator('#signin').click();
    await page.waitForURL(`${system.url}/auth/login?returnTo=/`);
    await expect(
      choices(page).evaluateAll((as) => as.map((a) => a.dataset.provider)),
    ).resolves.toEqual(['google', 'okta']);
    await expect(choices(page).allTextContents()).resolves.toEqual([
      'Sign in with Google',
      'Sign in with Okta',
    ]);
    await expect(page.locator('text=(last used)').count()).resolves.toBe(0);

    await choices(page).filter({ hasText: 'Sign in with Okta' }).click();
    await page.waitForURL(`${system.url}/`);
    await page.locator('#status', { hasText: 'Signed in as ann@example.com' }).waitFor();
    await identityRows(page).first().waitFor();
    await expect(identityRows(page).allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Okta \(this sign-in\)ann@example\.com/),
    ]);
    expect(google.requests).not.toContain('/authorize');

    await page.locator('#signout').click();
    await page.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    await page.locator('#signin').click();
    await page.waitForURL(`${system.url}/auth/login?returnTo=/`);
    await expect(
      choices(page).evaluateAll((as) => as.map((a) => a.dataset.provider)),
    ).resolves.toEqual(['okta', 'google']);
    await expect(page.locator('ul.providers li').first().textContent()).resolves.toBe(
      'Sign in with Okta (last used)',
    );
  });

  it('when a Google user links Okta from the account page, then both are listed, one can be unlinked, and the last one cannot', async () => {
    google.nextLogin({ sub: 'google-bob', email: 'bob@example.com', name: 'Bob' });
    okta.nextLogin({ sub: 'okta-bob', email: 'bob@okta.example', name: 'Bob', hd: undefined });
    const page = await freshPage();
    await signInWith(page, 'Google', 'bob@example.com');
    await identityRows(page).first().waitFor();
    await expect(identityRows(page).count()).resolves.toBe(1);

    await page.locator('#link-providers button', { hasText: 'Link Okta' }).click();
    await page.waitForURL(`${system.url}/`);
    await identityRows(page).nth(1).waitFor();
    const rows = await identityRows(page).allTextContents();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Google \(this sign-in\)bob@example\.com/),
        expect.stringMatching(/^Oktabob@okta\.example/),
      ]),
    );
    expect(okta.requests).toContain('/authorize');
    // Still signed in as the Google user: linking is not a sign-in.
    await expect(page.locator('#status').textContent()).resolves.toBe(
      'Signed in as bob@example.com.',
    );

    await identityRows(page)
      .filter({ hasText: 'bob@okta.example' })
      .locator('button', { hasText: 'Unlink' })
      .click();
    await identityRows(page).nth(1).waitFor({ state: 'detached' });
    await expect(identityRows(page).allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Google \(this sign-in\)/),
    ]);

    await identityRows(page).locator('button', { hasText: 'Unlink' }).click();
    await page
      .locator('#error', {
        hasText: 'last_identity: this is the only way you sign in; link another provider first',
      })
      .waitFor();
    await expect(identityRows(page).count()).resolves.toBe(1);
  });
});
