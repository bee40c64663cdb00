import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { SAME_ORIGIN, buildTokenApp } from '../support/token-app.js';

type Harness = Awaited<ReturnType<typeof buildTokenApp>>;

function client(harness: Harness, cookie: string) {
  const server = harness.app.callback();
  return {
    account: () => request(server).get('/auth/account').set('Cookie', cookie),
    session: () => request(server).get('/auth/session').set('Cookie', cookie),
    endSession: (sid: string, headers: Record<string, string> = SAME_ORIGIN) =>
      request(server)
        .post(`/auth/account/sessions/${encodeURIComponent(sid)}/end`)
        .set(headers)
        .set('Cookie', cookie),
  };
}

describe('GET /auth/account and ending a session', () => {
  it('when signed out, then every account and admin endpoint is 401 login_required', async () => {
    const server = (await buildTokenApp()).app.callback();
    const calls = [
      request(server).get('/auth/account'),
      request(server).post('/auth/account/sessions/x/end').set(SAME_ORIGIN),
      request(server).post('/auth/account/grants/x/revoke').set(SAME_ORIGIN),
      request(server).get('/auth/admin/users'),
      request(server).post('/auth/admin/users/x/disable').set(SAME_ORIGIN),
    ];
    for (const call of calls) {
      const res = await call.expect(401);
      expect(res.body.error).toBe('login_required');
    }
  });

  it('when a user has two sessions, then both are listed by sid with the asking one current, never by cookie id', async () => {
    const harness = await buildTokenApp();
    const laptop = await harness.signIn('ada@example.com', [], {
      ip: '198.51.100.7',
      userAgent: 'Laptop Firefox',
    });
    harness.clock.advance(60_000);
    const phone = await harness.signIn('ada@example.com', [], {
      ip: '203.0.113.9',
      userAgent: 'Phone Safari',
    });
    const res = await client(harness, laptop.cookie).account().expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.user).toMatchObject({ sub: laptop.user.id, email: 'ada@example.com' });
    expect(res.body.sessions).toEqual([
      {
        id: phone.sid,
        current: false,
        created_at: new Date(harness.clock.now()).toISOString(),
        last_used_at: new Date(harness.clock.now()).toISOString(),
        ip: '203.0.113.9',
        user_agent: 'Phone Safari',
      },
      expect.objectContaining({
        id: laptop.sid,
        current: true,
        ip: '198.51.100.7',
        user_agent: 'Laptop Firefox',
      }),
    ]);
    expect(res.body.grants).toEqual([]);
    const cookieIds = [laptop.cookie, phone.cookie].map((c) => /=([^;]+);/.exec(c)![1]!);
    for (const id of cookieIds) expect(JSON.stringify(res.body)).not.toContain(id);
  });

  it('when a user ends their other session, then that cookie stops working and the current one lives', async () => {
    const harness = await buildTokenApp();
    const laptop = await harness.signIn();
    const phone = await harness.signIn();
    await client(harness, laptop.cookie).endSession(phone.sid).expect(204);
    await client(harness, phone.cookie).session().expect(401);
    await client(harness, laptop.cookie).session().expect(200);
    const res = await client(harness, laptop.cookie).account().expect(200);
    expect(res.body.sessions.map((s: { id: string }) => s.id)).toEqual([laptop.sid]);
  });

  it('when a user ends their current session, then the cookie is cleared and the session is gone', async () => {
    const harness = await buildTokenApp();
    const laptop = await harness.signIn();
    const res = await client(harness, laptop.cookie).endSession(laptop.sid).expect(204);
    expect(String(res.headers['set-cookie'])).toMatch(/gatehouse_session=;/);
    await client(harness, laptop.cookie).session().expect(401);
  });

  it("when a user names another user's session, then 404 not_found and that session lives", async () => {
    const harness = await buildTokenApp();
    const ada = await harness.signIn('ada@example.com');
    const bob = await harness.signIn('bob@example.com');
    const res = await client(harness, ada.cookie).endSession(bob.sid).expect(404);
    expect(res.body.error).toBe('not_found');
    await client(harness, bob.cookie).session().expect(200);
    const listed = await client(harness, ada.cookie).account().expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(bob.sid);
  });

  it('when another site posts the end of a session, then 403 cross_site_request and it lives', async () => {
    const harness = await buildTokenApp();
    const laptop = await harness.signIn();
    const phone = await harness.signIn();
    const refusals: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site' },
      {},
    ];
    for (const headers of refusals) {
      const res = await client(harness, laptop.cookie).endSession(phone.sid, headers).expect(403);
      expect(res.body.error).toBe('cross_site_request');
    }
    await client(harness, phone.cookie).session().expect(200);
  });
});
