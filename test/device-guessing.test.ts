import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addressFetch, loopback } from './support/address-fetch.js';
import { CookieClient } from './support/cookie-client.js';
import { DeviceBrowser } from './support/device-browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

// Its own system: the tests spend guess budgets for the whole window.
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system.close();
});

describe('user code guessing through the gateway', () => {
  it('when someone brute-forces user codes, then after 10 wrong guesses even the right code is refused', async () => {
    const started = await fetch(`${system.url}/auth/device_authorization`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'gatehouse-cli' }),
    });
    const { device_code, user_code, verification_uri } = (await started.json()) as Record<
      string,
      string
    >;
    const browser = new DeviceBrowser(system.url);
    const letters = 'BCDFGHJKLMNPQRSTVWXZ';
    for (let i = 0; i < 10; i += 1) {
      const wrong = await browser.enter(verification_uri!, letters[i]!.repeat(8));
      expect(wrong.status).toBe(400);
    }
    const blocked = await browser.enter(verification_uri!, user_code!);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await browser.decide(user_code!, 'approve')).status).toBe(429);
    const poll = await fetch(`${system.url}/auth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: device_code!,
        client_id: 'gatehouse-cli',
      }),
    });
    expect(await poll.json()).toMatchObject({ error: 'authorization_pending' });
  });
});

describe('one guesser and everyone else', () => {
  it('when one signed-in user sends 1,000 wrong codes from 100 addresses, then another user on a fresh address still approves a valid code', async () => {
    const started = await fetch(`${system.url}/auth/device_authorization`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'gatehouse-cli' }),
    });
    const { user_code, verification_uri } = (await started.json()) as Record<string, string>;

    system.google!.nextLogin({ sub: 'guesser-1', email: 'guesser@example.com' });
    const guesser = new DeviceBrowser(system.url);
    expect((await guesser.enter(verification_uri!, 'BBBBBBBB')).status).toBe(400);
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, n) => {
        const client = new CookieClient(addressFetch(loopback(100 + n)));
        guesser.client.copyTo(client);
        const from = new DeviceBrowser(system.url, client);
        const seen: number[] = [];
        for (let i = 0; i < 10; i += 1) {
          seen.push((await from.enter(verification_uri!, `BCDFGH${n % 10}${i}`)).status);
        }
        return seen;
      }),
    );
    // The guesser pays: beyond its own budget it is refused wherever it comes from.
    expect(statuses.flat().filter((status) => status === 429).length).toBeGreaterThan(0);
    expect((await guesser.enter(verification_uri!, 'CCCCCCCC')).status).toBe(429);

    system.google!.nextLogin({ sub: 'victim-1', email: 'victim@example.com' });
    const victim = new DeviceBrowser(system.url, new CookieClient(addressFetch(loopback(250))));
    const confirm = await victim.enter(verification_uri!, user_code!);
    expect(confirm.status).toBe(200);
    expect((await victim.decide(user_code!, 'approve')).status).toBe(200);
  });
});
