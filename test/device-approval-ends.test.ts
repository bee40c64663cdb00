import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { approvedDevice, redeem } from './support/device-grant.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({ authEnv: { DEVICE_POLL_INTERVAL: '1' } });
});
afterAll(async () => {
  await system.close();
});

describe('an approved device code that is not redeemed yet ends with the user', () => {
  it('when the user signs out everywhere between approval and redemption, then the code is access_denied and yields no token', async () => {
    const { deviceCode, browser } = await approvedDevice(system, { clientId: 'gatehouse-cli' });
    const out = await browser.client.request(`${system.url}/auth/logout`, {
      method: 'POST',
      headers: { origin: system.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'everywhere=1',
    });
    expect(out.status).toBe(204);
    const answer = await redeem(system, deviceCode, 'gatehouse-cli');
    expect(answer).toMatchObject({ status: 400, body: { error: 'access_denied' } });
    expect(answer.body.access_token).toBeUndefined();
  });

  it('when the users CLI disables the user between approval and redemption, then the code stays refused after they are enabled again', async () => {
    const { deviceCode } = await approvedDevice(system, { clientId: 'gatehouse-cli' });
    expect(await system.users('disable', 'developer@example.com')).toBe(0);
    expect(await system.users('enable', 'developer@example.com')).toBe(0);
    const answer = await redeem(system, deviceCode, 'gatehouse-cli');
    expect(answer).toMatchObject({ status: 400, body: { error: 'access_denied' } });
  });
});
