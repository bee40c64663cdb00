import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import { approvedDevice, redeem, refresh, type TokenAnswer } from './support/device-grant.js';
import { CookieClient } from './support/cookie-client.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({ authEnv: { DEVICE_POLL_INTERVAL: '1' } });
  // The person the fake Google signs in is an admin: the approver of every grant below.
  expect(await system.users('add', 'developer@example.com', '--role', 'admin')).toBe(0);
});
afterAll(async () => {
  await system.close();
});

const adminStats = (token: string) =>
  fetch(`${system.url}/api/admin/stats`, { headers: { authorization: `Bearer ${token}` } });

/** The token answer's access token claims, after checking they agree with the answer. */
function claimsAgreeing(answer: TokenAnswer) {
  expect(answer.status).toBe(200);
  const claims = decodeJwt(String(answer.body.access_token));
  expect(claims.scope).toBe(answer.body.scope);
  return claims;
}

async function expectAdminRefused(token: string) {
  const res = await adminStats(token);
  expect(res.status).toBe(403);
  expect(((await res.json()) as { error: string }).error).toBe('insufficient_scope');
}

describe('the scope of a user token through the gateway', () => {
  it('when an admin approves a client registered for api:read, then its device token carries api:read in the JWT as in the answer, and admin routes are 403', async () => {
    const added = await system.clients(
      'add',
      'reports-cli',
      '--grant',
      'device_code',
      '--grant',
      'refresh_token',
      '--scope',
      'api:read',
    );
    expect(added.code).toBe(0);
    const { deviceCode } = await approvedDevice(system, { clientId: 'reports-cli' });
    const answer = await redeem(system, deviceCode, 'reports-cli');
    const claims = claimsAgreeing(answer);
    expect(claims).toMatchObject({ scope: 'api:read', roles: [] });
    await expectAdminRefused(String(answer.body.access_token));

    const refreshed = await refresh(system, String(answer.body.refresh_token), 'reports-cli');
    expect(claimsAgreeing(refreshed)).toMatchObject({ scope: 'api:read', roles: [] });
    await expectAdminRefused(String(refreshed.body.access_token));
  });

  it('when a refresh asks for a narrower scope, then the JWT carries that scope, as the answer says', async () => {
    const added = await system.clients(
      'add',
      'billing-cli',
      '--grant',
      'device_code',
      '--grant',
      'refresh_token',
      '--scope',
      'api:read',
      '--scope',
      'api:write',
    );
    expect(added.code).toBe(0);
    const { deviceCode } = await approvedDevice(system, { clientId: 'billing-cli' });
    const answer = await redeem(system, deviceCode, 'billing-cli');
    expect(claimsAgreeing(answer).scope).toBe('api:read api:write');
    const narrowed = await refresh(
      system,
      String(answer.body.refresh_token),
      'billing-cli',
      'api:read',
    );
    expect(claimsAgreeing(narrowed)).toMatchObject({ scope: 'api:read', roles: [] });
  });

  it('when an admin approves the built-in CLI for api, then its device and refreshed tokens carry api and no admin role, and admin routes are 403', async () => {
    const { deviceCode } = await approvedDevice(system, { clientId: 'gatehouse-cli' });
    const answer = await redeem(system, deviceCode, 'gatehouse-cli');
    expect(claimsAgreeing(answer)).toMatchObject({ scope: 'api', roles: [] });
    await expectAdminRefused(String(answer.body.access_token));

    const refreshed = await refresh(system, String(answer.body.refresh_token), 'gatehouse-cli');
    expect(claimsAgreeing(refreshed)).toMatchObject({ scope: 'api', roles: [] });
    await expectAdminRefused(String(refreshed.body.access_token));
  });

  it("when an admin's browser session asks for a token, then it carries the user's full scope in the JWT as in the answer, and admin routes answer 200", async () => {
    const browser = new CookieClient();
    const landed = await browser.request(`${system.url}/auth/login?returnTo=%2F`);
    expect(landed.url).toBe(`${system.url}/`);
    const res = await browser.request(`${system.url}/auth/token`, {
      method: 'POST',
      headers: { origin: system.url },
    });
    const answer = { status: res.status, body: res.json<TokenAnswer['body']>() };
    expect(claimsAgreeing(answer)).toMatchObject({ scope: 'admin api', roles: ['admin'] });
    expect((await adminStats(String(answer.body.access_token))).status).toBe(200);
  });
});
