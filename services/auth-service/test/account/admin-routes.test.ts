import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { deviceFlow } from '../support/device-flow.js';
import { SAME_ORIGIN, buildTokenApp } from '../support/token-app.js';

async function adminAndUser() {
  const harness = await buildTokenApp();
  const admin = await harness.signIn('root@example.com', ['admin']);
  const flow = deviceFlow(harness);
  const { user, cookie, tokens } = await flow.signInDevice('ada@example.com');
  const server = harness.app.callback();
  const users = (as: string) => request(server).get('/auth/admin/users').set('Cookie', as);
  const disable = (id: string, as: string, headers: Record<string, string> = SAME_ORIGIN) =>
    request(server).post(`/auth/admin/users/${id}/disable`).set(headers).set('Cookie', as);
  const session = (as: string) => request(server).get('/auth/session').set('Cookie', as);
  const refreshToken = String(tokens.refresh_token);
  return { harness, flow, admin, user, cookie, refreshToken, users, disable, session };
}

describe('the admin endpoints', () => {
  it('when a user without the admin role asks, then 403 forbidden for listing and disabling', async () => {
    const { admin, cookie, users, disable, session } = await adminAndUser();
    const listed = await users(cookie).expect(403);
    expect(listed.body.error).toBe('forbidden');
    const refused = await disable(admin.user.id, cookie).expect(403);
    expect(refused.body.error).toBe('forbidden');
    await session(admin.cookie).expect(200);
  });

  it('when an admin lists users, then every directory entry comes back', async () => {
    const { admin, user, users } = await adminAndUser();
    const res = await users(admin.cookie).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.users).toEqual([
      expect.objectContaining({
        sub: user.id,
        email: 'ada@example.com',
        roles: [],
        disabled: false,
      }),
      expect.objectContaining({ sub: admin.user.id, roles: ['admin'], disabled: false }),
    ]);
  });

  it('when an admin lists users, then each comes with its linked identities and its directory roles apart from mapped ones', async () => {
    const { harness, admin, user, users } = await adminAndUser();
    const at = harness.clock.now();
    const github = {
      provider: 'github',
      issuer: 'https://github.com',
      subject: 'h-1',
      email: null,
      name: 'Ada',
      picture: null,
    };
    await harness.directory.recordSignIn(user.id, github, at);
    await harness.directory.link(
      user.id,
      {
        ...github,
        provider: 'google',
        issuer: 'https://accounts.google.com',
        email: 'ada@example.com',
      },
      at,
    );
    await harness.directory.setMappedRoles('github', 'h-1', ['maintainer']);
    const res = await users(admin.cookie).expect(200);
    expect(res.body.users).toContainEqual(
      expect.objectContaining({
        sub: user.id,
        roles: ['maintainer'],
        directory_roles: [],
        identities: [
          { provider: 'github', email: null, last_sign_in_at: new Date(at).toISOString() },
          { provider: 'google', email: 'ada@example.com', last_sign_in_at: null },
        ],
      }),
    );
    expect(res.body.users).toContainEqual(
      expect.objectContaining({ sub: admin.user.id, directory_roles: ['admin'], identities: [] }),
    );
  });

  it('when an admin disables a user who approved a device code not yet redeemed, then the code stays access_denied after they are enabled again', async () => {
    const { harness, flow, admin, user, cookie, disable } = await adminAndUser();
    const started = await flow.start();
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    await disable(user.id, admin.cookie).expect(204);
    await harness.directory.setDisabled(user.id, false);
    const res = await flow.poll(started.device_code).expect(400);
    expect(res.body.error).toBe('access_denied');
  });

  it('when an entry is registered but has not signed in, then its status says so, as the users CLI does', async () => {
    const { harness, admin, users } = await adminAndUser();
    await harness.directory.preRegister('bob@example.com', [], harness.clock.now());
    const res = await users(admin.cookie).expect(200);
    expect(res.body.users).toContainEqual(
      expect.objectContaining({ email: 'bob@example.com', status: 'not_signed_in' }),
    );
  });

  it("when an admin disables a user, then the user's sessions and grants end and the entry reads disabled", async () => {
    const { harness, flow, admin, user, cookie, refreshToken, users, disable, session } =
      await adminAndUser();
    await disable(user.id, admin.cookie).expect(204);
    await session(cookie).expect(401);
    expect((await flow.refresh(refreshToken).expect(400)).body.error).toBe('invalid_grant');
    const res = await users(admin.cookie).expect(200);
    expect(res.body.users).toContainEqual(
      expect.objectContaining({ sub: user.id, disabled: true }),
    );
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ audit: 'user_disabled', sub: user.id, by: admin.user.id }),
    );
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ audit: 'access_ended', sub: user.id, reason: 'user_disabled' }),
    );
    // The store holds nothing of theirs any more, not only refusals.
    expect(await harness.sessions.listOfUser(user.id)).toEqual([]);
    expect(await harness.oauth.refreshTokens.listLiveOfUser(user.id, harness.clock.now())).toEqual(
      [],
    );
  });

  it('when an admin names an unknown user or themselves, then 404 not_found or 400 and nothing changes', async () => {
    const { admin, disable, session } = await adminAndUser();
    expect((await disable('no-such-user', admin.cookie).expect(404)).body.error).toBe('not_found');
    expect((await disable(admin.user.id, admin.cookie).expect(400)).body.error).toBe(
      'invalid_request',
    );
    await session(admin.cookie).expect(200);
  });

  it('when another site posts a disable with the admin cookie, then 403 cross_site_request', async () => {
    const { admin, user, cookie, disable, session } = await adminAndUser();
    const res = await disable(user.id, admin.cookie, { Origin: 'https://evil.example' }).expect(
      403,
    );
    expect(res.body.error).toBe('cross_site_request');
    await session(cookie).expect(200);
  });
});
