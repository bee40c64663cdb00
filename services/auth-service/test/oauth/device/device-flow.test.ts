import { describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { deviceFlow, expectCliTokenResponse } from '../../support/device-flow.js';
import { buildTokenApp, PUBLIC_URL } from '../../support/token-app.js';

const USER_CODE = /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/;

/** A token app built with `options`, a signed-in browser, and a device authorization started. */
/** A public device-flow client registered for `scopes`. */
function addClient(
  harness: Awaited<ReturnType<typeof buildTokenApp>>,
  clientId: string,
  scopes: string[],
) {
  return harness.oauth.clients.add(
    {
      clientId,
      name: clientId,
      grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      scopes,
      refreshIdleTtl: 3600,
      refreshAbsoluteTtl: 7200,
    },
    harness.clock.now(),
  );
}

async function startedDevice(options?: Parameters<typeof buildTokenApp>[0]) {
  const harness = await buildTokenApp(options);
  const flow = deviceFlow(harness);
  const { cookie } = await harness.signIn();
  const started = await flow.start();
  return { harness, flow, cookie, started };
}

describe('RFC 8628 device flow (in-process)', () => {
  it('when a CLI asks for a code, then it gets the section 3.2 response without an Origin', async () => {
    const flow = deviceFlow(await buildTokenApp());
    const res = await request(flow.server)
      .post('/auth/device_authorization')
      .type('form')
      .send({ client_id: 'gatehouse-cli' })
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      device_code: expect.stringMatching(/^[\w-]{43}$/),
      user_code: expect.stringMatching(USER_CODE),
      verification_uri: `${PUBLIC_URL}/auth/device`,
      verification_uri_complete: `${PUBLIC_URL}/auth/device?user_code=${res.body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
  });

  it('when the client is unknown or not allowed the device grant, then invalid_client / unauthorized_client', async () => {
    const flow = deviceFlow(await buildTokenApp());
    const unknown = await request(flow.server)
      .post('/auth/device_authorization')
      .type('form')
      .send({ client_id: 'nobody' })
      .expect(401);
    expect(unknown.body.error).toBe('invalid_client');
    const web = await request(flow.server)
      .post('/auth/device_authorization')
      .type('form')
      .send({ client_id: 'gatehouse-web' })
      .expect(400);
    expect(web.body.error).toBe('unauthorized_client');
    const scope = await request(flow.server)
      .post('/auth/device_authorization')
      .type('form')
      .send({ client_id: 'gatehouse-cli', scope: 'admin' })
      .expect(400);
    expect(scope.body.error).toBe('invalid_scope');
  });

  it('when the user has not decided, then polls answer authorization_pending, too fast slow_down with the interval raised', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    const { device_code } = await flow.start();
    const first = await flow.poll(device_code).expect(400);
    expect(first.body.error).toBe('authorization_pending');
    expect(first.headers['cache-control']).toBe('no-store');
    harness.clock.advance(1_000);
    const fast = await flow.poll(device_code).expect(400);
    expect(fast.body.error).toBe('slow_down');
    // The interval is now 10 s: 5 s later is still too fast.
    harness.clock.advance(5_000);
    expect((await flow.poll(device_code).expect(400)).body.error).toBe('slow_down');
    harness.clock.advance(15_000);
    expect((await flow.poll(device_code).expect(400)).body.error).toBe('authorization_pending');
  });

  it('when the user approves, then the next poll gets tokens for gatehouse-cli, and a second exchange is invalid_grant', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    const { cookie, user } = await harness.signIn('ada@example.com', ['admin']);
    const started = await flow.start();
    const page = await flow.confirmPage(cookie, started.user_code.toLowerCase()).expect(200);
    expect(page.text).toContain('Gatehouse command line');
    expect(page.text).toContain('ada@example.com');
    await flow.decide(cookie, started.user_code.replace('-', ''), 'approve').expect(200);

    const res = await flow.poll(started.device_code).expect(200);
    expectCliTokenResponse(res);
    const claims = decodeJwt(res.body.access_token);
    // Approved for `api` only: the admin role stays out of the token (issue 20).
    expect(claims).toMatchObject({
      sub: user.id,
      client_id: 'gatehouse-cli',
      roles: [],
      scope: 'api',
    });

    harness.clock.advance(10_000);
    expect((await flow.poll(started.device_code).expect(400)).body.error).toBe('invalid_grant');
  });

  it('when a non-admin approves a client registered for admin and api, then the page and the token say api only', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    await addClient(harness, 'ops-tool', ['admin', 'api']);
    const { cookie } = await harness.signIn('ada@example.com');
    const started = await flow.start('ops-tool');
    const page = await flow.confirmPage(cookie, started.user_code).expect(200);
    expect(page.text).toContain('with scope <code>api</code>');
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    const res = await flow.poll(started.device_code, 'ops-tool').expect(200);
    expect(res.body.scope).toBe('api');
    expect(decodeJwt(res.body.access_token)).toMatchObject({ roles: [], scope: 'api' });
  });

  it('when the approver may grant none of the scopes, then the poll is invalid_scope and no token', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    await addClient(harness, 'admin-only', ['admin']);
    const { cookie } = await harness.signIn('ada@example.com');
    const started = await flow.start('admin-only');
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    const res = await flow.poll(started.device_code, 'admin-only').expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_scope' });
    expect(res.body.access_token).toBeUndefined();
  });

  it('when approve comes without the "my device shows this code" box, then the page asks again and the device waits', async () => {
    const { flow, cookie, started } = await startedDevice();
    const page = await flow.confirmPage(cookie, started.user_code).expect(200);
    expect(page.text).toContain(
      `<input type="checkbox" name="code_matches" value="yes" required> My device shows <code>${started.user_code}</code>`,
    );
    const asked = await flow
      .decide(cookie, started.user_code, 'approve', { codeMatches: false })
      .expect(400);
    expect(asked.text).toContain('Approve this sign-in?');
    expect(asked.text).toContain('Tick the box only if your device shows this code');
    expect((await flow.poll(started.device_code).expect(400)).body.error).toBe(
      'authorization_pending',
    );
  });

  it('when the user denies, then the poll is access_denied', async () => {
    const { flow, cookie, started } = await startedDevice();
    const done = await flow.decide(cookie, started.user_code, 'deny').expect(200);
    expect(done.text).toContain('Sign-in denied');
    expect((await flow.poll(started.device_code).expect(400)).body.error).toBe('access_denied');
  });

  it('when the code is older than DEVICE_CODE_TTL, then the poll is expired_token and approval finds no code', async () => {
    const { harness, flow, cookie, started } = await startedDevice({
      env: { DEVICE_CODE_TTL: '60' },
    });
    harness.clock.advance(61_000);
    expect((await flow.poll(started.device_code).expect(400)).body.error).toBe('expired_token');
    await flow.decide(cookie, started.user_code, 'approve').expect(400);
  });

  it('when a code is approved, then using it again is refused and its device gets tokens once', async () => {
    const { flow, cookie, started } = await startedDevice();
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    const again = await flow.decide(cookie, started.user_code, 'deny').expect(400);
    expect(again.text).toContain('not valid');
    await flow.poll(started.device_code).expect(200);
  });

  it('when someone guesses wrong user codes, then after their own budget every lookup is 429, even the right code', async () => {
    const { harness, flow, cookie, started } = await startedDevice({
      guessLimits: { perUser: 3, total: 100, windowMs: 60_000 },
    });
    for (const guess of ['BBBB-BBBB', 'CCCC-CCCC', 'DDDD-DDDD']) {
      await flow.confirmPage(cookie, guess).expect(400);
    }
    const blocked = await flow.decide(cookie, started.user_code, 'approve').expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await flow.poll(started.device_code).expect(400)).body.error).toBe(
      'authorization_pending',
    );
    harness.clock.advance(60_000);
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
  });

  it('when one user guesses from many IPs, then their own budget stops them wherever they come from', async () => {
    const harness = await buildTokenApp({
      env: { TRUST_PROXY: 'true' },
      guessLimits: { perUser: 2, total: 100, windowMs: 600_000 },
    });
    const flow = deviceFlow(harness);
    const { cookie } = await harness.signIn();
    for (const ip of ['10.0.0.1', '10.0.0.2']) {
      await flow.confirmPage(cookie, 'BBBB-BBBB').set('X-Forwarded-For', ip).expect(400);
    }
    const res = await flow
      .confirmPage(cookie, 'BBBB-BBBB')
      .set('X-Forwarded-For', '10.0.0.3')
      .set('Accept', 'application/json')
      .expect(429);
    expect(res.body.error).toBe('rate_limited');
  });

  it('when many accounts together spend the total, then those who guessed are refused and a user with a clean record is not', async () => {
    const harness = await buildTokenApp({
      guessLimits: { perUser: 2, total: 4, windowMs: 600_000 },
    });
    const flow = deviceFlow(harness);
    const guessers = [
      await harness.signIn('g1@example.com'),
      await harness.signIn('g2@example.com'),
    ];
    for (const { cookie } of guessers) {
      for (const guess of ['BBBB-BBBB', 'CCCC-CCCC']) {
        await flow.confirmPage(cookie, guess).expect(400);
      }
    }
    const started = await flow.start();
    await flow.confirmPage(guessers[0]!.cookie, started.user_code).expect(429);
    const third = await harness.signIn('g3@example.com');
    await flow.confirmPage(third.cookie, 'DDDD-DDDD').expect(400);
    await flow.confirmPage(third.cookie, started.user_code).expect(429);
    const { cookie } = await harness.signIn('victim@example.com');
    await flow.confirmPage(cookie, started.user_code).expect(200);
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
  });

  it('when not signed in, then /auth/device sends the browser to sign-in and back with the code', async () => {
    const flow = deviceFlow(await buildTokenApp());
    const res = await request(flow.server).get('/auth/device?user_code=BCDF-GHJK').expect(302);
    expect(res.headers.location).toBe(
      `/auth/login?returnTo=${encodeURIComponent('/auth/device?user_code=BCDF-GHJK')}`,
    );
  });

  it('when approval is posted cross-site, then it is refused by the guard', async () => {
    const { flow, cookie, started } = await startedDevice();
    const res = await request(flow.server)
      .post('/auth/device')
      .set('Origin', 'https://evil.example')
      .set('Cookie', cookie)
      .type('form')
      .send({ user_code: started.user_code, decision: 'approve' })
      .expect(403);
    expect(res.body.error).toBe('cross_site_request');
  });

  it('when a browser on another origin posts an OAuth form, then the guard refuses it; without Origin a client passes', async () => {
    const flow = deviceFlow(await buildTokenApp());
    for (const path of ['/auth/token', '/auth/device_authorization', '/auth/revoke']) {
      const res = await request(flow.server)
        .post(path)
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({
          grant_type: 'refresh_token',
          refresh_token: 'x',
          client_id: 'gatehouse-cli',
          token: 'x',
        })
        .expect(403);
      expect(res.body.error).toBe('cross_site_request');
    }
    const client = await flow.refresh('x').expect(400);
    expect(client.body.error).toBe('invalid_grant');
  });

  it('when the token endpoint gets an unknown grant_type or a repeated parameter, then OAuth errors', async () => {
    const flow = deviceFlow(await buildTokenApp());
    const unsupported = await request(flow.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'password', client_id: 'gatehouse-cli' })
      .expect(400);
    expect(unsupported.body.error).toBe('unsupported_grant_type');
    const twice = await request(flow.server)
      .post('/auth/token')
      .type('form')
      .send('grant_type=refresh_token&grant_type=refresh_token')
      .expect(400);
    expect(twice.body.error).toBe('invalid_request');
    const missing = await request(flow.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'refresh_token', client_id: 'gatehouse-cli' })
      .expect(400);
    expect(missing.body).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining('refresh_token'),
    });
  });

  it('when a disabled user had approved, then the exchange is invalid_grant', async () => {
    const harness = await buildTokenApp();
    const flow = deviceFlow(harness);
    const { cookie, user } = await harness.signIn();
    const started = await flow.start();
    await flow.decide(cookie, started.user_code, 'approve').expect(200);
    await harness.directory.setDisabled(user.id, true);
    expect((await flow.poll(started.device_code).expect(400)).body.error).toBe('invalid_grant');
  });
});
