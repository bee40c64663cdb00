import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeviceBrowser } from './support/device-browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;
/** Added to the auth-service's clock: a second poll after the interval, without sleeping. */
let offset = 0;

beforeAll(async () => {
  system = await startSystem({ authNow: () => Date.now() + offset });
});
afterAll(async () => {
  await system.close();
});

async function startDevice() {
  const res = await fetch(`${system.url}/auth/device_authorization`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'gatehouse-cli' }),
  });
  return (await res.json()) as {
    device_code: string;
    user_code: string;
    verification_uri_complete: string;
  };
}

async function poll(deviceCode: string): Promise<string | undefined> {
  const res = await fetch(`${system.url}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: deviceCode,
      client_id: 'gatehouse-cli',
    }),
  });
  return ((await res.json()) as { error?: string }).error;
}

/** The form post a page (or a forged one) sends, without the "my device shows this code" box. */
function approveUnconfirmed(person: DeviceBrowser, userCode: string) {
  return person.client.request(`${system.url}/auth/device`, {
    method: 'POST',
    headers: {
      origin: system.url,
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ user_code: userCode, decision: 'approve' }).toString(),
  });
}

describe('a prefilled device link (verification_uri_complete, RFC 8628 section 5.4)', () => {
  it('when a signed-in person follows it, then the page shows the code and asks to confirm it matches the device', async () => {
    const device = await startDevice();
    const person = new DeviceBrowser(system.url);
    const page = await person.client.request(device.verification_uri_complete, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<code id="user-code">${device.user_code}</code>`);
    expect(page.text).toMatch(/<input type="checkbox" name="code_matches" value="yes" required>/);
  });

  it('when approve is sent without the confirming step, then the device is not signed in', async () => {
    const device = await startDevice();
    const person = new DeviceBrowser(system.url);
    await person.client.request(device.verification_uri_complete, {
      headers: { accept: 'text/html' },
    });

    const refused = await approveUnconfirmed(person, device.user_code);
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('Device signed in');
    expect(refused.text).toContain('Tick the box only if your device shows this code');
    expect(await poll(device.device_code)).toBe('authorization_pending');

    // The same person, having compared the codes, can still approve.
    expect((await person.decide(device.user_code, 'approve')).status).toBe(200);
    offset += 10_000;
    expect(await poll(device.device_code)).toBeUndefined();
  });

  it('when deny is sent without the confirming step, then the request is denied', async () => {
    const device = await startDevice();
    const person = new DeviceBrowser(system.url);
    await person.enter(device.verification_uri_complete, device.user_code);
    expect((await person.decide(device.user_code, 'deny')).status).toBe(200);
    expect(await poll(device.device_code)).toBe('access_denied');
  });
});
