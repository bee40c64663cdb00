import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startGateway, type TestGateway } from '../gateway/test/support/gateway.js';
import { startUpstream, type TestUpstream } from '../gateway/test/support/upstream.js';
import { launchBrowser } from './support/browser.js';
import { freePort } from './support/free-port.js';

/**
 * The account page's identity controls in Chromium, against a stand-in auth-service that
 * answers what the real one does (account view, unlink, link's 303 into a provider on another
 * origin). The whole system's version is browser-providers.test.ts; this one pins the page's
 * own behaviour: what it shows, which requests it sends, and that its CSP lets the link
 * navigate through a provider.
 */

interface StandInIdentity {
  provider: string;
  provider_name: string;
  subject: string;
  email: string | null;
  current: boolean;
  linked_at: string;
  last_sign_in_at: string | null;
}

const GOOGLE: StandInIdentity = {
  provider: 'google',
  provider_name: 'Google',
  subject: '1001',
  email: 'ann@example.com',
  current: true,
  linked_at: '2026-01-02T03:04:05.000Z',
  last_sign_in_at: '2026-02-03T04:05:06.000Z',
};
/** A subject with characters a URL would need encoded, `/` among them (form-encoded). */
const OKTA: StandInIdentity = {
  provider: 'okta',
  provider_name: 'Okta <Corp>',
  subject: 'auth0|a/b c?',
  email: null,
  current: false,
  linked_at: '2026-01-05T00:00:00.000Z',
  last_sign_in_at: null,
};

let gateway: TestGateway;
let auth: TestUpstream;
let provider: TestUpstream;
let browser: Browser;
let context: BrowserContext;
let identities: StandInIdentity[];
const posts: { url: string; body: string; origin: string | undefined }[] = [];

/** An access token the page can decode (it only shows the claims; nothing verifies here). */
const tokenFor = (claims: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

/** The auth-service's answers the page relies on, with `identities` as its state. */
async function standInAuth(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (req.method === 'POST') {
    posts.push({ url, body: await readBody(req), origin: req.headers.origin });
  }
  if (req.method === 'GET' && url === '/auth/account') {
    return json(res, 200, {
      user: { sub: 'u1', email: 'ann@example.com', name: 'Ann', picture: null, roles: [] },
      identities,
      providers: [
        { id: 'google', name: 'Google' },
        { id: 'okta', name: 'Okta <Corp>' },
      ],
      sessions: [],
      grants: [],
    });
  }
  if (req.method === 'POST' && url === '/auth/token') {
    const now = Math.floor(Date.now() / 1000);
    return json(res, 200, {
      access_token: tokenFor({ sub: 'u1', iat: now, exp: now + 600 }),
      token_type: 'Bearer',
      expires_in: 600,
    });
  }
  if (req.method === 'POST' && url === '/auth/account/identities/link') {
    // The page asks for JSON: where to navigate, as the real one answers.
    return json(res, 200, { location: '/auth/connect/okta' });
  }
  if (req.method === 'GET' && url === '/auth/connect/okta') {
    res.writeHead(302, { location: `${provider.url}/authorize?state=s` }).end();
    return;
  }
  if (req.method === 'POST' && url === '/auth/account/identities/unlink') {
    const form = new URLSearchParams(posts.at(-1)!.body);
    const id = form.get('provider');
    const subject = form.get('subject');
    const index = identities.findIndex((i) => i.provider === id && i.subject === subject);
    if (index < 0) return json(res, 404, { error: 'not_found', error_description: 'no such' });
    if (identities.length === 1) {
      return json(res, 409, {
        error: 'last_identity',
        error_description: 'this is the only way you sign in; link another provider first',
        request_id: 'r1',
      });
    }
    identities.splice(index, 1);
    res.writeHead(204).end();
    return;
  }
  return json(res, 404, { error: 'not_found', error_description: url });
}

beforeAll(async () => {
  auth = await startUpstream((req, res) => void standInAuth(req, res));
  // The provider approves at once and sends the browser back to the page.
  provider = await startUpstream((_req, res) => {
    res.writeHead(302, { location: `${gateway.url}/?linked` });
    res.end();
  });
  const port = await freePort();
  gateway = await startGateway({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    AUTH_SERVICE_URL: auth.url,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await gateway?.close();
  await auth?.close();
  await provider?.close();
});
beforeEach(async () => {
  identities = [{ ...GOOGLE }, { ...OKTA }];
  posts.length = 0;
  await context?.close().catch(() => {});
  context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
});

async function accountPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(gateway.url);
  await page.locator('#status', { hasText: 'Signed in as ann@example.com' }).waitFor();
  return page;
}

const rows = (page: Page) => page.locator('#identities tbody tr');

describe("the account page's sign-in accounts", () => {
  it('when the user has two identities, then each row shows provider, email or —, dates, and the current one is marked', async () => {
    const page = await accountPage();
    await rows(page).nth(1).waitFor();

    const cells = async (n: number) =>
      rows(page)
        .nth(n)
        .locator('td')
        .evaluateAll((tds) => tds.map((td) => td.textContent));
    expect(await cells(0)).toEqual([
      'Google (this sign-in)',
      'ann@example.com',
      '1/2/2026, 3:04:05 AM',
      '2/3/2026, 4:05:06 AM',
      'Unlink',
    ]);
    expect(await cells(1)).toEqual(['Okta <Corp>', '—', '1/5/2026, 12:00:00 AM', '—', 'Unlink']);
    await expect(rows(page).nth(0).getAttribute('class')).resolves.toBe('current');
    await expect(page.locator('#identities .current-mark').count()).resolves.toBe(1);
  });

  it('when the user unlinks an identity, then the page posts its provider and subject and lists the rest', async () => {
    const page = await accountPage();
    await rows(page).nth(1).locator('button', { hasText: 'Unlink' }).click();
    await rows(page).nth(1).waitFor({ state: 'detached' });

    expect(posts.filter((p) => p.url.includes('/identities/'))).toEqual([
      {
        url: '/auth/account/identities/unlink',
        body: 'provider=okta&subject=auth0%7Ca%2Fb+c%3F',
        origin: gateway.url,
      },
    ]);
    await expect(rows(page).count()).resolves.toBe(1);
    await expect(page.locator('#error').isVisible()).resolves.toBe(false);
  });

  it('when the user unlinks the only identity, then #error shows the last_identity description and the row stays', async () => {
    identities = [{ ...GOOGLE }];
    const page = await accountPage();
    await rows(page).locator('button', { hasText: 'Unlink' }).click();

    await page
      .locator('#error', {
        hasText:
          'Could not unlink that account: last_identity: this is the only way you sign in; link another provider first',
      })
      .waitFor();
    await expect(rows(page).count()).resolves.toBe(1);
    await expect(rows(page).locator('button').isEnabled()).resolves.toBe(true);
  });

  it('when the user clicks "Link <name>", then the page posts it and navigates through the provider back to the page, within its CSP', async () => {
    const page = await accountPage();
    const forms = page.locator('#link-providers');
    await expect(forms.locator('button').allTextContents()).resolves.toEqual([
      'Link Google',
      'Link Okta <Corp>',
    ]);
    await expect(page.locator('#link-providers img, #link-providers script').count()).resolves.toBe(
      0,
    );

    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    await forms.locator('button', { hasText: 'Link Okta' }).click();
    await page.waitForURL(`${gateway.url}/?linked`);

    expect(blocked).toEqual([]);
    expect(posts.filter((p) => p.url === '/auth/account/identities/link')).toEqual([
      { url: '/auth/account/identities/link', body: 'provider=okta', origin: gateway.url },
    ]);
    expect(provider.seen.map((r) => r.url)).toEqual(['/authorize?state=s']);
  });
});
