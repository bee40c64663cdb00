import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CookieClient, type ClientResponse } from './support/cookie-client.js';
import { redeem } from './support/device-grant.js';
import { DeviceBrowser } from './support/device-browser.js';
import type { FakeGoogle } from './support/fake-google.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

/** Sign-in through the gateway with two providers, Google and Okta (both fakes). */

const HTML = { accept: 'text/html' };

/** The choice page's `href` for `provider`, as the browser would follow it. */
function choiceHref(page: ClientResponse, provider: string): string {
  const button = new RegExp(`data-provider="${provider}" href="([^"]+)"`).exec(page.text);
  if (!button) throw new Error(`no ${provider} button on ${page.url}`);
  return new URL(button[1]!.replaceAll('&amp;', '&'), page.url).href;
}

async function accessToken(system: RunningSystem, client: CookieClient): Promise<string> {
  const res = await client.request(`${system.url}/auth/token`, {
    method: 'POST',
    headers: { origin: system.url },
  });
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

async function me(system: RunningSystem, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${system.url}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('sign-in with the second provider through the gateway', () => {
  let system: RunningSystem;
  let google: FakeGoogle;
  let okta: FakeGoogle;

  beforeAll(async () => {
    system = await startSystem({ extraProviders: ['okta'] });
    google = system.providers.google!;
    okta = system.providers.okta!;
  });
  afterAll(async () => {
    await system?.close();
  });
  beforeEach(() => {
    google.reset();
    okta.reset();
  });

  it('when a user signs in with Okta, then /auth/session names okta and a session token works at /api/me with our own sub', async () => {
    okta.nextLogin({ sub: 'okta-carol', email: 'carol@example.com', name: 'Carol', hd: undefined });
    const client = new CookieClient();
    const landed = await client.request(
      `${system.url}/auth/login?provider=okta&returnTo=${encodeURIComponent('/after?x=1')}`,
    );
    expect(landed.url).toBe(`${system.url}/after?x=1`);
    expect(landed.hops).toContain(`${system.url}/auth/connect/okta`);
    expect(landed.hops.some((hop) => hop.startsWith(`${okta.url}/authorize?`))).toBe(true);
    expect(
      landed.hops.some((hop) => hop.startsWith(`${system.url}/auth/connect/okta/callback?`)),
    ).toBe(true);
    expect(google.requests).not.toContain('/authorize');

    const session = await client.request(`${system.url}/auth/session`);
    expect(session.status).toBe(200);
    const who = session.json<{ sub: string; email: string; provider: string }>();
    expect(who).toMatchObject({ email: 'carol@example.com', name: 'Carol', provider: 'okta' });

    const user = await me(system, await accessToken(system, client));
    expect(user).toEqual({ sub: who.sub, email: 'carol@example.com', name: 'Carol', roles: [] });
    expect(user.sub).not.toBe('okta-carol');
    expect(user.sub).not.toContain('@');
  });

  it('when a signed-out person opens the device page, then the choice page comes first and Okta brings them back to approve the device', async () => {
    okta.nextLogin({ sub: 'okta-dave', email: 'dave@example.com', name: 'Dave', hd: undefined });
    const started = await fetch(`${system.url}/auth/device_authorization`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'gatehouse-cli' }),
    });
    expect(started.status).toBe(200);
    const { device_code, user_code, verification_uri } = (await started.json()) as Record<
      string,
      string
    >;
    const browser = new DeviceBrowser(system.url);

    const choice = await browser.enter(verification_uri!, user_code!);
    expect(choice.status).toBe(200);
    const returnTo = `/auth/device?user_code=${encodeURIComponent(user_code!)}`;
    expect(choice.url).toBe(`${system.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(choice.text).toContain('Sign in with Google');
    expect(choice.text).toContain('Sign in with Okta');

    const page = await browser.client.request(choiceHref(choice, 'okta'), { headers: HTML });
    expect(page.status).toBe(200);
    expect(page.url).toBe(`${system.url}${returnTo}`);
    expect(page.text).toContain('Gatehouse command line');
    expect(page.text).toContain('dave@example.com');
    expect((await browser.decide(user_code!, 'approve')).status).toBe(200);

    const tokens = await redeem(system, device_code!, 'gatehouse-cli');
    expect(tokens.status).toBe(200);
    expect(await me(system, String(tokens.body.access_token))).toMatchObject({
      email: 'dave@example.com',
    });
    expect(google.requests).not.toContain('/authorize');
  });

  it('when a person who signed in with Okta signs in again, then the choice page lists Okta first as last used', async () => {
    okta.nextLogin({ sub: 'okta-erin', email: 'erin@example.com', name: 'Erin', hd: undefined });
    const client = new CookieClient();
    const first = await client.request(`${system.url}/auth/login?returnTo=/`, { headers: HTML });
    expect([...first.text.matchAll(/data-provider="(\w+)"/g)].map((m) => m[1])).toEqual([
      'google',
      'okta',
    ]);
    await client.request(choiceHref(first, 'okta'), { headers: HTML });
    const out = await client.request(`${system.url}/auth/logout`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    expect(out.status).toBe(204);

    const again = await client.request(`${system.url}/auth/login?returnTo=/`, { headers: HTML });
    expect([...again.text.matchAll(/data-provider="(\w+)"/g)].map((m) => m[1])).toEqual([
      'okta',
      'google',
    ]);
    expect(again.text).toMatch(/data-provider="okta"[^\n]*\(last used\)/);
  });
});

describe('one provider down', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ extraProviders: ['okta'] });
  });
  afterAll(async () => {
    await system?.close();
  });

  it('when Okta stops answering, then a sign-in with it ends in 502 without a session, and Google still signs in', async () => {
    const okta = system.providers.okta!;
    const client = new CookieClient();
    // The person is at Okta's sign-in when Okta goes down: the callback's code exchange fails.
    const toOkta = await client.request(`${system.url}/auth/login?provider=okta&returnTo=/`, {
      maxRedirects: 1,
    });
    expect(toOkta.status).toBe(302);
    const callback = await okta.authorize(toOkta.headers.get('location')!);
    await okta.close();

    const failed = await client.request(callback, { headers: { accept: 'application/json' } });
    expect(failed.status).toBe(502);
    expect(failed.json<{ error: string }>().error).toBe('token_exchange_failed');
    expect((await client.request(`${system.url}/auth/session`)).status).toBe(401);
    // A browser sent to Okta now finds nobody there.
    const again = await client.request(`${system.url}/auth/login?provider=okta&returnTo=/`, {
      maxRedirects: 1,
    });
    await expect(fetch(again.headers.get('location')!)).rejects.toThrow();

    const landed = await client.request(`${system.url}/auth/login?provider=google&returnTo=/after`);
    expect(landed.url).toBe(`${system.url}/after`);
    const session = await client.request(`${system.url}/auth/session`);
    expect(session.status).toBe(200);
    expect(session.json()).toMatchObject({ email: 'developer@example.com', provider: 'google' });
    expect((await fetch(`${system.url}/readyz`)).status).toBe(200);
  });
});
