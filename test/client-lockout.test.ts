import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addressFetch, loopback } from './support/address-fetch.js';
import { startSystem, type RunningSystem } from './support/start-system.js';

// Security issue 20, item 4: failed client authentications from strangers must not switch a
// client off for everyone. Each test's attackers use their own loopback addresses.
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system.close();
});

function post(from: string, path: string, form: Record<string, string>, authorization?: string) {
  return addressFetch(from)(`${system.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('client authentication budgets through the gateway', () => {
  it('when strangers send 30 secrets naming the public CLI client from three addresses, then the CLI still logs in everywhere', async () => {
    for (const attacker of [loopback(11), loopback(12), loopback(13)]) {
      for (let i = 0; i < 10; i += 1) {
        const res = await post(attacker, '/auth/device_authorization', {
          client_id: 'gatehouse-cli',
          client_secret: `guess-${i}`,
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: 'invalid_client' });
      }
    }
    const login = await post(loopback(14), '/auth/device_authorization', {
      client_id: 'gatehouse-cli',
    });
    expect(login.status).toBe(200);
    const refresh = await post(loopback(14), '/auth/token', {
      client_id: 'gatehouse-cli',
      grant_type: 'refresh_token',
      refresh_token: 'not-a-real-one',
    });
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    // Even the addresses that sent the secrets keep using the CLI: there was nothing to guess.
    const fromAttacker = await post(loopback(11), '/auth/device_authorization', {
      client_id: 'gatehouse-cli',
    });
    expect(fromAttacker.status).toBe(200);
  });

  it('when strangers send wrong secrets for a confidential client from many addresses, then the client itself still authenticates', async () => {
    const added = await system.clients('add', 'billing', '--grant', 'client_credentials');
    expect(added.code).toBe(0);
    const secret = /client_secret (\S+)/.exec(added.out.join('\n'))?.[1];
    expect(secret).toBeDefined();
    for (const attacker of [21, 22, 23].map(loopback)) {
      for (let i = 0; i < 10; i += 1) {
        const res = await post(
          attacker,
          '/auth/token',
          { grant_type: 'client_credentials' },
          basic('billing', `wrong-${i}`),
        );
        expect(res.status).toBe(401);
      }
    }
    const blocked = await post(
      loopback(21),
      '/auth/token',
      { grant_type: 'client_credentials' },
      basic('billing', 'wrong-again'),
    );
    expect(blocked.status).toBe(429);
    expect(await blocked.json()).toMatchObject({ error: 'rate_limited' });
    const own = await post(
      loopback(25),
      '/auth/token',
      { grant_type: 'client_credentials' },
      basic('billing', secret!),
    );
    expect(own.status).toBe(200);
  });
});
