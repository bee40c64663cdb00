import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser, signInAs, type DevIdpProfile } from './support/browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  system = await startSystem({ provider: 'dev-idp' });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await system?.close();
});

/** A fresh browser profile (its own cookies) signed in as `profile`, on the account page. */
async function signedInBrowser(
  profile: DevIdpProfile,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    userAgent: `Account test (${profile.name})`,
    ...options,
  });
  contexts.push(context);
  const page = await context.newPage();
  await signInAs(page, system.url, profile);
  await page.locator('#status', { hasText: `Signed in as ${profile.email}` }).waitFor();
  return page;
}

const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const sessionRows = (page: Page) => page.locator('#sessions tbody tr');

describe('the account page in a real browser', () => {
  it('when a user signs in in two browsers, then each lists both sessions with itself marked, and one can end the other', async () => {
    const profile = { email: 'two@example.com', name: 'Two Browsers' };
    const laptop = await signedInBrowser(profile);
    await expect(sessionRows(laptop).count()).resolves.toBe(1);
    await laptop.locator('#sessions tr.current', { hasText: '(this browser)' }).waitFor();
    // The token panel shows this session's access token: its user and when it expires.
    await laptop.locator('#token-claims', { hasText: '"email": "two@example.com"' }).waitFor();
    await laptop.locator('#token-expiry', { hasText: /Expires .* \(in \d+ s\)/ }).waitFor();

    const phone = await signedInBrowser(profile);
    await laptop.reload();
    await sessionRows(laptop).nth(1).waitFor();
    await expect(sessionRows(laptop).count()).resolves.toBe(2);
    const current = laptop.locator('#sessions tr.current');
    await expect(current.count()).resolves.toBe(1);
    await expect(current.textContent()).resolves.toContain('Account test (Two Browsers)');
    await expect(current.textContent()).resolves.toContain('127.0.0.1');

    // The phone's row is the one not marked; signing it out from the laptop ends the phone.
    await laptop.locator('#sessions tr:not(.current) button', { hasText: 'Sign out' }).click();
    await laptop.locator('#sessions tbody tr').nth(1).waitFor({ state: 'detached' });
    await expect(sessionRows(laptop).count()).resolves.toBe(1);
    await phone.reload();
    await phone.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    await expect(phone.locator('#signin').isVisible()).resolves.toBe(true);
  });

  it('when a CLI signs in with the device flow, then the page lists its grant and "Sign out" ends its refresh token', async () => {
    const page = await signedInBrowser({ email: 'cli@example.com', name: 'Cli User' });
    const form = (path: string, body: Record<string, string>) =>
      fetch(`${system.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'gatehouse-cli/test',
        },
        body: new URLSearchParams(body),
      });
    const started = (await (
      await form('/auth/device_authorization', { client_id: 'gatehouse-cli' })
    ).json()) as { device_code: string; verification_uri_complete: string };
    await page.goto(started.verification_uri_complete);
    await page.locator('input[name="code_matches"]').check();
    await page.locator('button[value="approve"]').click();
    await page.locator('h1', { hasText: 'Device signed in' }).waitFor();
    const tokens = (await (
      await form('/auth/token', {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: started.device_code,
        client_id: 'gatehouse-cli',
      })
    ).json()) as { refresh_token: string };
    const refresh = () =>
      form('/auth/token', {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: 'gatehouse-cli',
      });

    await page.goto(system.url);
    const grant = page.locator('#grants tbody tr', { hasText: 'Gatehouse command line' });
    await grant.waitFor();
    await expect(grant.textContent()).resolves.toContain('127.0.0.1');
    await grant.locator('button', { hasText: 'Sign out' }).click();
    await page.locator('#no-grants').waitFor();
    const refused = await refresh();
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('when an admin disables a user, then the list says so and the user is signed out', async () => {
    expect(await system.users('add', 'root@example.com', '--role', 'admin')).toBe(0);
    const root = await signedInBrowser({ email: 'root@example.com', name: 'Root Admin' });
    const victim = await signedInBrowser({ email: 'eve@example.com', name: 'Eve' });
    await root.reload();
    const eveRow = root.locator('#users tbody tr', { hasText: 'eve@example.com' });
    await eveRow.waitFor();
    await expect(eveRow.locator('.user-status').textContent()).resolves.toBe('active');
    // No Disable button on the admin's own row.
    const ownRow = root.locator('#users tbody tr', { hasText: 'root@example.com' });
    await expect(ownRow.locator('button').count()).resolves.toBe(0);

    await eveRow.locator('button', { hasText: 'Disable' }).click();
    await eveRow.locator('.user-status', { hasText: 'disabled' }).waitFor();
    await victim.reload();
    await victim.locator('#status', { hasText: 'Not signed in.' }).waitFor();
  });

  it('when a signed-in user is no admin, then no user list is shown and their own markup stays text', async () => {
    const name = '<img src=x id=injected>';
    const page = await signedInBrowser({ email: 'plain@example.com', name });
    await page.locator('#account').waitFor();
    await expect(page.locator('#admin').isVisible()).resolves.toBe(false);
    await page.locator('#token-claims', { hasText: name }).waitFor();
    await expect(page.locator('#injected').count()).resolves.toBe(0);
  });

  it('when a user signs in with Chrome on Windows, then the page shows dates, not epoch seconds, and "Chrome 120 on Windows", and confirms the sign-out', async () => {
    const page = await signedInBrowser(
      { email: 'dates@example.com', name: 'Date Reader' },
      { userAgent: WINDOWS_CHROME, locale: 'en-US', timezoneId: 'UTC' },
    );
    const claims = page.locator('#token-claims');
    await claims.waitFor();
    const localTime = String.raw`\d{1,2}/\d{1,2}/\d{4}, \d{1,2}:\d{2}:\d{2} [AP]M`;
    await expect(claims.textContent()).resolves.toMatch(new RegExp(`"iat": "${localTime}"`));
    await expect(claims.textContent()).resolves.toMatch(new RegExp(`"exp": "${localTime}"`));
    const agent = page.locator('#sessions tr.current td.agent');
    await expect(agent.textContent()).resolves.toBe('Chrome 120 on Windows (this browser)');
    await expect(agent.getAttribute('title')).resolves.toBe(WINDOWS_CHROME);

    await page.locator('#signout').click();
    await page.locator('#notice', { hasText: 'You are signed out of this browser.' }).waitFor();
    await expect(page.locator('#status').textContent()).resolves.toBe('Not signed in.');
  });

  it('when a user clicks "Copy access token", then the clipboard holds a token /api/me accepts, the page says when it expires, and the token is nowhere in the page or its URL', async () => {
    const page = await signedInBrowser(
      { email: 'curl@example.com', name: 'Curl User' },
      { permissions: ['clipboard-read', 'clipboard-write'] },
    );
    await page.locator('#copy-token').click();
    await page
      .locator('#copy-status', { hasText: /^Copied\. It expires in 10 minutes; send it as/ })
      .waitFor();

    const token = await page.evaluate(() => navigator.clipboard.readText());
    expect(token.split('.')).toHaveLength(3);
    const me = await fetch(`${system.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'curl@example.com' });
    await expect(page.content()).resolves.not.toContain(token);
    expect(page.url()).not.toContain(token);
  });

  it('when the page is opened at an address other than PUBLIC_URL, then it offers no sign-in but a link to PUBLIC_URL, where sign-in works', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // The same gateway, reached by another name: what a newcomer types from the listen address.
    const elsewhere = system.url.replace('127.0.0.1', 'localhost');
    await page.goto(elsewhere);

    await page.locator('#wrong-origin').waitFor();
    await expect(page.locator('#this-origin').textContent()).resolves.toBe(elsewhere);
    await expect(page.locator('#status').textContent()).resolves.toBe(
      'Not signed in at this address.',
    );
    await expect(page.locator('#signin').isVisible()).resolves.toBe(false);
    const link = page.locator('#public-url-link');
    await expect(link.getAttribute('href')).resolves.toBe(`${system.url}/`);

    await link.click();
    await page.waitForURL(`${system.url}/`);
    await page.locator('#signin').click();
    await page.locator('input[name="email"]').fill('lost@example.com');
    await page.locator('input[name="name"]').fill('Lost Newcomer');
    await page.locator('#sign-in').click();
    await page.locator('#status', { hasText: 'Signed in as lost@example.com' }).waitFor();
    await expect(page.locator('#wrong-origin').isVisible()).resolves.toBe(false);
  });

  it('when the page is opened with ?error=<any text>, then it shows only words of ours', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const phishing = 'Your account is locked. Call +1 555 0100 to unlock it';
    await page.goto(`${system.url}/?error=${encodeURIComponent(phishing)}`);
    const status = page.locator('#status', { hasText: 'Sign-in failed' });
    await status.waitFor();
    await expect(status.textContent()).resolves.toBe('Sign-in failed. Please try again.');
    await expect(page.content()).resolves.not.toContain('555 0100');

    await page.goto(`${system.url}/?error=access_denied`);
    await page
      .locator('#status', { hasText: 'Sign-in failed: the sign-in was cancelled or refused.' })
      .waitFor();
  });

  it('when an action fails, then the page says why in plain words', async () => {
    const page = await signedInBrowser({ email: 'gone@example.com', name: 'Gone' });
    // The session ends behind the page's back (another tab signed out); the button still shows.
    await page.evaluate(() => fetch('/auth/logout', { method: 'POST' }));
    await page.locator('#sessions button', { hasText: 'Sign out' }).click();
    await page
      .locator('#error', { hasText: 'Could not sign out that session: login_required' })
      .waitFor();
  });

  it('when a user clicks "Sign out everywhere", then the page confirms it, every browser of theirs is signed out and a token one of them held is refused by the API within 5 s', async () => {
    const profile = { email: 'everywhere@example.com', name: 'Every Where' };
    const laptop = await signedInBrowser(profile);
    const phone = await signedInBrowser(profile);
    const token = await phone.evaluate(
      async () =>
        (
          (await (await fetch('/auth/token', { method: 'POST' })).json()) as {
            access_token: string;
          }
        ).access_token,
    );
    const me = () =>
      fetch(`${system.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);

    await laptop.locator('#signout-everywhere').click();
    await laptop.locator('#notice', { hasText: 'You are signed out everywhere' }).waitFor();
    await laptop.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    await phone.reload();
    await phone.locator('#status', { hasText: 'Not signed in.' }).waitFor();
    const started = Date.now();
    while ((await me()).status !== 401) {
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
