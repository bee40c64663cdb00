import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeviceBrowser } from './support/device-browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

// Its own system: the test spends the loopback IP's whole guess budget for the window.
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
