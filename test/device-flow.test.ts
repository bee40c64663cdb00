import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as client from 'openid-client';
import { DeviceBrowser } from './support/device-browser.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let system: RunningSystem;
/** Added to the auth-service's clock: expiry and grace windows without sleeping. */
let offset = 0;

beforeAll(async () => {
  system = await startSystem({
    authEnv: { DEVICE_POLL_INTERVAL: '1', DEVICE_CODE_TTL: '60' },
    authNow: () => Date.now() + offset,
  });
});
afterAll(async () => {
  await system.close();
});

/** openid-client (an independent RFC 8628 / RFC 6749 client) configured by discovery. */
function discover(): Promise<client.Configuration> {
  return client.discovery(
    new URL(`${system.url}/auth`),
    'gatehouse-cli',
    undefined,
    client.None(),
    {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
    },
  );
}

async function startDevice() {
  const res = await fetch(`${system.url}/auth/device_authorization`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: 'gatehouse-cli' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string; verification_uri: string };
}

async function poll(deviceCode: string) {
  const res = await fetch(`${system.url}/auth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: DEVICE_GRANT,
      device_code: deviceCode,
      client_id: 'gatehouse-cli',
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('device flow and refresh through the gateway', () => {
  it('when openid-client runs the device flow and refreshes, then it gets rotated tokens and reuse revokes them', async () => {
    const config = await discover();
    expect(config.serverMetadata()).toMatchObject({
      device_authorization_endpoint: `${system.url}/auth/device_authorization`,
      revocation_endpoint: `${system.url}/auth/revoke`,
      grant_types_supported: [DEVICE_GRANT, 'refresh_token', 'client_credentials'],
    });
    const device = await client.initiateDeviceAuthorization(config, { scope: 'api' });
    const polling = client.pollDeviceAuthorizationGrant(config, device);
    const browser = new DeviceBrowser(system.url);
    expect((await browser.enter(device.verification_uri, device.user_code)).status).toBe(200);
    expect((await browser.decide(device.user_code, 'approve')).status).toBe(200);
    const tokens = await polling;
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope).toBe('api');

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).toEqual(expect.any(String));

    offset += 11_000; // past the grace window: presenting the old token is reuse
    const reuse = await client.refreshTokenGrant(config, tokens.refresh_token!).catch((e) => e);
    expect(reuse).toBeInstanceOf(client.ResponseBodyError);
    expect((reuse as client.ResponseBodyError).error).toBe('invalid_grant');
    const successor = await client
      .refreshTokenGrant(config, refreshed.refresh_token!)
      .catch((e) => e);
    expect((successor as client.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('when openid-client revokes a refresh token, then the token no longer refreshes', async () => {
    const config = await discover();
    const device = await client.initiateDeviceAuthorization(config, {});
    const polling = client.pollDeviceAuthorizationGrant(config, device);
    const browser = new DeviceBrowser(system.url);
    await browser.enter(device.verification_uri, device.user_code);
    await browser.decide(device.user_code, 'approve');
    const tokens = await polling;
    await client.tokenRevocation(config, tokens.refresh_token!, {
      token_type_hint: 'refresh_token',
    });
    const refused = await client.refreshTokenGrant(config, tokens.refresh_token!).catch((e) => e);
    expect((refused as client.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('when a device polls faster than the interval, then slow_down, and authorization_pending after waiting', async () => {
    const { device_code } = await startDevice();
    expect((await poll(device_code)).body.error).toBe('authorization_pending');
    const fast = await poll(device_code);
    expect(fast).toMatchObject({ status: 400, body: { error: 'slow_down' } });
    offset += 6_000; // the interval is now 1 + 5 s
    expect((await poll(device_code)).body.error).toBe('authorization_pending');
  });

  it('when nobody approves within DEVICE_CODE_TTL, then expired_token, and the page no longer knows the code', async () => {
    const { device_code, user_code, verification_uri } = await startDevice();
    offset += 61_000;
    expect(await poll(device_code)).toMatchObject({
      status: 400,
      body: { error: 'expired_token' },
    });
    const page = await new DeviceBrowser(system.url).enter(verification_uri, user_code);
    expect(page.status).toBe(400);
  });
});
