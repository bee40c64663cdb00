import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium with everything that would reach out to the network switched off,
 * so a test only ever talks to the loopback services it started.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Who a browser test signs in as at the dev-idp's form. */
export interface DevIdpProfile {
  email: string;
  name: string;
  unverified?: boolean;
}

/** From the page at `origin`, through the dev-idp's sign-in form, back to the page. */
export async function signInAs(page: Page, origin: string, profile: DevIdpProfile): Promise<void> {
  await page.goto(origin);
  await page.locator('#signin').click();
  await page.locator('input[name="email"]').fill(profile.email);
  await page.locator('input[name="name"]').fill(profile.name);
  if (profile.unverified) await page.locator('input[name="unverified"]').check();
  await page.locator('#sign-in').click();
  await page.waitForURL((url) => url.origin === origin);
}
