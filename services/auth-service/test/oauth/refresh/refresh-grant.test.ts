import { describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { deviceFlow, expectCliTokenResponse } from '../../support/device-flow.js';
import { buildTokenApp } from '../../support/token-app.js';

const DAY = 86_400_000;

async function signedInDevice(roles: string[] = []) {
  const harness = await buildTokenApp();
  const flow = deviceFlow(harness);
  const { user, tokens } = await flow.signInDevice('ada@example.com', roles);
  return { harness, flow, user, refreshToken: String(tokens.refresh_token) };
}

/** A public client registered for `admin` and `api`: the admin role can reach its tokens. */
function addOpsTool(harness: Awaited<ReturnType<typeof buildTokenApp>>) {
  return harness.oauth.clients.add(
    {
      clientId: 'ops-tool',
      name: 'Ops tool',
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      scopes: ['admin', 'api'],
      refreshIdleTtl: 3600,
      refreshAbsoluteTtl: 7200,
    },
    harness.clock.now(),
  );
}

describe('grant_type=refresh_token', () => {
  it('when a refresh token is used, then a new access token and a rotated refresh token come back', async () => {
    const { harness, flow, user, refreshToken } = await signedInDevice(['admin']);
    harness.clock.advance(60_000);
    const res = await flow.refresh(refreshToken).expect(200);
    expectCliTokenResponse(res);
    expect(res.body.refresh_token).not.toBe(refreshToken);
    expect(decodeJwt(res.body.access_token)).toMatchObject({
      sub: user.id,
      client_id: 'gatehouse-cli',
      // The CLI is registered for `api` only: the admin role stays out (issue 20).
      roles: [],
      scope: 'api',
    });
    // The successor works in turn; the database holds no token in the clear.
    harness.clock.advance(60_000);
    await flow.refresh(res.body.refresh_token).expect(200);
    const stored = JSON.stringify(harness.db.prepare('SELECT * FROM refresh_tokens').all());
    expect(stored).not.toContain(refreshToken);
    expect(stored).not.toContain(res.body.refresh_token);
  });

  it('when a rotated token is presented after the grace window, then the whole family is revoked and audited', async () => {
    const { harness, flow, refreshToken } = await signedInDevice();
    const next = (await flow.refresh(refreshToken).expect(200)).body.refresh_token;
    harness.clock.advance(11_000);
    const reuse = await flow.refresh(refreshToken).expect(400);
    expect(reuse.body.error).toBe('invalid_grant');
    expect(reuse.body.error_description).toMatch(/already used/);
    const successor = await flow.refresh(next).expect(400);
    expect(successor.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/revoked/),
    });
    expect(harness.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        audit: 'refresh_token_reuse',
        client_id: 'gatehouse-cli',
      }),
    );
  });

  it('when two refreshes race on one token inside the grace window, then both get the same successor', async () => {
    const { harness, flow, refreshToken } = await signedInDevice();
    const [a, b] = await Promise.all([flow.refresh(refreshToken), flow.refresh(refreshToken)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.refresh_token).toBe(b.body.refresh_token);
    harness.clock.advance(9_000);
    const retry = await flow.refresh(refreshToken).expect(200);
    expect(retry.body.refresh_token).toBe(a.body.refresh_token);
    await flow.refresh(a.body.refresh_token).expect(200);
  });

  it('when the successor has itself been rotated, then the old token is reuse even inside the grace window', async () => {
    const { flow, refreshToken } = await signedInDevice();
    const second = (await flow.refresh(refreshToken).expect(200)).body.refresh_token;
    const third = (await flow.refresh(second).expect(200)).body.refresh_token;
    expect((await flow.refresh(refreshToken).expect(400)).body.error).toBe('invalid_grant');
    expect((await flow.refresh(third).expect(400)).body.error_description).toMatch(/revoked/);
  });

  it('when the token went unused longer than the idle lifetime, then invalid_grant', async () => {
    const { harness, flow, refreshToken } = await signedInDevice();
    harness.clock.advance(14 * DAY + 1_000);
    const res = await flow.refresh(refreshToken).expect(400);
    expect(res.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/unused/),
    });
  });

  it('when the family is older than the absolute lifetime, then invalid_grant however active', async () => {
    const { harness, flow, refreshToken } = await signedInDevice();
    let token = refreshToken;
    for (let day = 0; day < 29; day += 1) {
      harness.clock.advance(DAY);
      token = (await flow.refresh(token).expect(200)).body.refresh_token;
    }
    harness.clock.advance(DAY + 1_000);
    const res = await flow.refresh(token).expect(400);
    expect(res.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/maximum lifetime/),
    });
  });

  it('when the user is disabled, then the refresh stops and the family stays revoked after re-enabling', async () => {
    const { harness, flow, user, refreshToken } = await signedInDevice();
    await harness.directory.setDisabled(user.id, true);
    expect((await flow.refresh(refreshToken).expect(400)).body.error).toBe('invalid_grant');
    await harness.directory.setDisabled(user.id, false);
    expect((await flow.refresh(refreshToken).expect(400)).body.error_description).toMatch(
      /revoked/,
    );
  });

  it('when a role is removed, then the next refreshed access token carries neither the role nor its scope', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    await addOpsTool(harness);
    const { cookie, user } = await harness.signIn('ada@example.com', ['admin']);
    const started = await flow.start('ops-tool');
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    const first = (await flow.poll(started.device_code, 'ops-tool').expect(200)).body;
    expect(first.scope).toBe('admin api');
    expect(decodeJwt(first.access_token)).toMatchObject({ roles: ['admin'], scope: 'admin api' });

    await harness.directory.setRoles(user.id, []);
    const res = await flow.refresh(first.refresh_token, 'ops-tool').expect(200);
    expect(res.body.scope).toBe('api');
    expect(decodeJwt(res.body.access_token)).toMatchObject({ roles: [], scope: 'api' });
  });

  it('when a refresh asks for a narrower scope, then that token carries it and the next refresh may still ask for all', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    await addOpsTool(harness);
    const { cookie } = await harness.signIn('ada@example.com', ['admin']);
    const started = await flow.start('ops-tool');
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    const first = (await flow.poll(started.device_code, 'ops-tool').expect(200)).body;
    const narrow = await request(flow.server)
      .post('/auth/token')
      .type('form')
      .send({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: 'ops-tool',
        scope: 'api',
      })
      .expect(200);
    expect(narrow.body.scope).toBe('api');
    expect(decodeJwt(narrow.body.access_token)).toMatchObject({ roles: [], scope: 'api' });
    const full = await flow.refresh(narrow.body.refresh_token, 'ops-tool').expect(200);
    expect(decodeJwt(full.body.access_token)).toMatchObject({
      roles: ['admin'],
      scope: 'admin api',
    });
  });

  it('when another client presents the token, then invalid_grant and the token still works for its own', async () => {
    const { harness, flow, refreshToken } = await signedInDevice();
    await harness.oauth.clients.add(
      {
        clientId: 'other-tool',
        name: 'Other',
        grantTypes: ['refresh_token'],
        scopes: ['api'],
        refreshIdleTtl: 3600,
        refreshAbsoluteTtl: 7200,
      },
      harness.clock.now(),
    );
    expect((await flow.refresh(refreshToken, 'other-tool').expect(400)).body.error).toBe(
      'invalid_grant',
    );
    await flow.refresh(refreshToken).expect(200);
  });

  it('when the CLI revokes its refresh token, then the family ends and revoke answers 200 for unknown tokens too', async () => {
    const { flow, refreshToken } = await signedInDevice();
    const revoke = (token: string) =>
      request(flow.server)
        .post('/auth/revoke')
        .type('form')
        .send({ token, token_type_hint: 'refresh_token', client_id: 'gatehouse-cli' });
    await revoke(refreshToken).expect(200);
    expect((await flow.refresh(refreshToken).expect(400)).body.error_description).toMatch(
      /revoked/,
    );
    await revoke('not-a-token').expect(200);
    const noClient = await request(flow.server)
      .post('/auth/revoke')
      .type('form')
      .send({ token: 'x' })
      .expect(400);
    expect(noClient.body.error).toBe('invalid_request');
  });
});
