import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { deviceFlow } from '../support/device-flow.js';
import { SAME_ORIGIN, buildTokenApp } from '../support/token-app.js';

/** A CLI's device login for ada, its token request sent from 198.51.100.20 by "gatehouse/1". */
async function deviceLogin() {
  const harness = await buildTokenApp();
  const flow = deviceFlow(harness);
  const { cookie, user } = await harness.signIn('ada@example.com');
  const started = await flow.start();
  await flow.decide(cookie, started.user_code, 'approve').expect(200);
  const res = await flow
    .poll(started.device_code)
    .set('X-Forwarded-For', '198.51.100.20')
    .set('User-Agent', 'gatehouse/1')
    .expect(200);
  const server = harness.app.callback();
  const account = (as = cookie) => request(server).get('/auth/account').set('Cookie', as);
  const revoke = (id: string, as = cookie) =>
    request(server).post(`/auth/account/grants/${id}/revoke`).set(SAME_ORIGIN).set('Cookie', as);
  return {
    harness,
    flow,
    user,
    cookie,
    refreshToken: String(res.body.refresh_token),
    account,
    revoke,
  };
}

describe('device grants on the account page', () => {
  it('when a CLI has signed in with the device flow, then its grant is listed with client, times and address', async () => {
    const { harness, account } = await deviceLogin();
    const created = new Date(harness.clock.now()).toISOString();
    const res = await account().expect(200);
    expect(res.body.grants).toEqual([
      {
        id: expect.any(String),
        client_id: 'gatehouse-cli',
        client_name: 'Gatehouse command line',
        scope: 'api',
        created_at: created,
        last_used_at: created,
        ip: '198.51.100.20',
        user_agent: 'gatehouse/1',
      },
    ]);
  });

  it('when the CLI refreshes from another address, then last used and the address follow', async () => {
    const { harness, flow, refreshToken, account } = await deviceLogin();
    harness.clock.advance(3_600_000);
    await flow
      .refresh(refreshToken)
      .set('X-Forwarded-For', '203.0.113.44')
      .set('User-Agent', 'gatehouse/2')
      .expect(200);
    const [grant] = (await account().expect(200)).body.grants;
    expect(grant).toMatchObject({
      last_used_at: new Date(harness.clock.now()).toISOString(),
      ip: '203.0.113.44',
      user_agent: 'gatehouse/2',
    });
    expect(grant.created_at).not.toBe(grant.last_used_at);
  });

  it('when the user revokes the grant, then its refresh token is refused and it is no longer listed', async () => {
    const { harness, flow, refreshToken, account, revoke } = await deviceLogin();
    const [grant] = (await account().expect(200)).body.grants;
    await revoke(grant.id).expect(204);
    const refused = await flow.refresh(refreshToken).expect(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect((await account().expect(200)).body.grants).toEqual([]);
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ audit: 'access_ended', sid: grant.id, reason: 'grant_revoked' }),
    );
  });

  it('when another user names the grant, then 404 not_found and the CLI keeps working', async () => {
    const { harness, flow, refreshToken, account, revoke } = await deviceLogin();
    const [grant] = (await account().expect(200)).body.grants;
    const bob = await harness.signIn('bob@example.com');
    const res = await revoke(grant.id, bob.cookie).expect(404);
    expect(res.body.error).toBe('not_found');
    expect((await account(bob.cookie).expect(200)).body.grants).toEqual([]);
    await flow.refresh(refreshToken).expect(200);
  });

  it('when a grant is revoked from another site, then 403 cross_site_request and it stays', async () => {
    const { harness, flow, refreshToken, cookie, account } = await deviceLogin();
    const [grant] = (await account().expect(200)).body.grants;
    const res = await request(harness.app.callback())
      .post(`/auth/account/grants/${grant.id}/revoke`)
      .set('Origin', 'https://evil.example')
      .set('Cookie', cookie)
      .expect(403);
    expect(res.body.error).toBe('cross_site_request');
    await flow.refresh(refreshToken).expect(200);
  });
});
