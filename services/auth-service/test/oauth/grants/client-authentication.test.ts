import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { CLI_CLIENT_ID } from '../../../src/oauth/clients/cli-client.js';
import { storedSecretHash } from '../../../src/oauth/clients/client-secret.js';
import { deviceFlow } from '../../support/device-flow.js';
import { basicAuth, serviceClient } from '../../support/service-client.js';
import { buildTokenApp } from '../../support/token-app.js';

const CHALLENGE = 'Basic realm="gatehouse", charset="UTF-8"';

async function setUp(options: Parameters<typeof buildTokenApp>[0] = {}) {
  const harness = await buildTokenApp(options);
  return { harness, service: await serviceClient(harness) };
}

function failures(logs: Record<string, unknown>[]) {
  return logs.filter((line) => line.audit === 'client_authentication_failed');
}

describe('client authentication (RFC 6749 sections 2.3 and 5.2)', () => {
  it('when a confidential client sends its secret by Basic or in the form, then both authenticate', async () => {
    const { service } = await setUp();
    expect((await service.token({}, 'basic').expect(200)).body.token_type).toBe('Bearer');
    expect((await service.token({}, 'post').expect(200)).body.token_type).toBe('Bearer');
  });

  it('when the Basic credentials are form-urlencoded before base64 (section 2.3.1), then a secret with reserved characters works', async () => {
    const harness = await buildTokenApp();
    const service = await serviceClient(harness, { clientId: 'svc:billing+1' });
    const res = await request(service.server)
      .post('/auth/token')
      .type('form')
      .set('Authorization', basicAuth('svc:billing+1', service.secret))
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    expect(res.body.access_token).toEqual(expect.any(String));
  });

  it('when the secret is wrong with Basic, then 401 invalid_client with the Basic challenge and an audit line without the secret', async () => {
    const { harness, service } = await setUp();
    const res = await service
      .post('/auth/token', { grant_type: 'client_credentials' }, 'basic', {
        clientId: 'billing',
        secret: 'not-the-secret',
      })
      .expect(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(failures(harness.logs)).toEqual([
      expect.objectContaining({
        level: 'warn',
        client_id: 'billing',
        ip: expect.any(String),
        method: 'client_secret_basic',
        reason: 'wrong_secret',
      }),
    ]);
    expect(JSON.stringify(harness.logs)).not.toContain('not-the-secret');
    expect(JSON.stringify(harness.logs)).not.toContain(service.secret);
  });

  it('when the secret is wrong in the form, then 401 invalid_client without a challenge (no Authorization header was used)', async () => {
    const { service } = await setUp();
    const res = await service
      .post('/auth/token', { grant_type: 'client_credentials' }, 'post', {
        clientId: 'billing',
        secret: 'wrong',
      })
      .expect(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('when a confidential client sends no secret, or a public client sends one, then 401 invalid_client', async () => {
    const { harness, service } = await setUp();
    const bare = await request(service.server)
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'billing' })
      .expect(401);
    expect(bare.body.error).toBe('invalid_client');
    const publicWithSecret = await request(service.server)
      .post('/auth/token')
      .type('form')
      .set('Authorization', basicAuth(CLI_CLIENT_ID, 'anything'))
      .send({ grant_type: 'refresh_token', refresh_token: 'x' })
      .expect(401);
    expect(publicWithSecret.body.error).toBe('invalid_client');
    expect(failures(harness.logs).map((line) => line.reason)).toEqual([
      'secret_missing',
      'secret_from_public_client',
    ]);
  });

  it('when the secret is rotated without overlap or the client removed, then the very next request with the old secret is 401 invalid_client', async () => {
    const { harness, service } = await setUp();
    await service.token().expect(200);
    const rotated = 'rotated-secret-0123456789-abcdefghijklmnopqrs';
    await harness.oauth.clients.replaceSecret(service.clientId, storedSecretHash(rotated), null);
    expect((await service.token().expect(401)).body.error).toBe('invalid_client');
    const withRotated = { clientId: service.clientId, secret: rotated };
    const body = { grant_type: 'client_credentials' };
    await service.post('/auth/token', body, 'basic', withRotated).expect(200);
    await harness.oauth.clients.remove(service.clientId);
    const res = await service.post('/auth/token', body, 'basic', withRotated).expect(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('when the client is unknown, then 401 invalid_client, audited', async () => {
    const { harness, service } = await setUp();
    const res = await service
      .post('/auth/token', { grant_type: 'client_credentials' }, 'basic', {
        clientId: 'nobody',
        secret: 'x',
      })
      .expect(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(failures(harness.logs)[0]).toMatchObject({
      client_id: 'nobody',
      reason: 'unknown_client',
    });
  });

  it('when the Authorization header is not Basic client credentials, then 401 invalid_client with the challenge', async () => {
    const { service } = await setUp();
    for (const authorization of [
      'Bearer abc',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from('billing:%zz').toString('base64')}`,
    ]) {
      const res = await request(service.server)
        .post('/auth/token')
        .type('form')
        .set('Authorization', authorization)
        .send({ grant_type: 'client_credentials' })
        .expect(401);
      expect(res.body.error).toBe('invalid_client');
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    }
  });

  it('when two methods are used at once, or Basic and client_id disagree, then 400 invalid_request', async () => {
    const { service } = await setUp();
    const both = await service
      .post('/auth/token', { grant_type: 'client_credentials', client_secret: service.secret })
      .expect(400);
    expect(both.body).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringMatching(/one client authentication method/),
    });
    const otherId = await service
      .post('/auth/token', { grant_type: 'client_credentials', client_id: 'gatehouse-cli' })
      .expect(400);
    expect(otherId.body.error).toBe('invalid_request');
    const sameId = await service
      .post('/auth/token', { grant_type: 'client_credentials', client_id: 'billing' })
      .expect(200);
    expect(sameId.body.access_token).toEqual(expect.any(String));
  });

  it('when grant_type is missing or unknown, then 400 invalid_request or unsupported_grant_type', async () => {
    const { service } = await setUp();
    expect((await service.post('/auth/token', {}).expect(400)).body.error).toBe('invalid_request');
    expect(
      (await service.post('/auth/token', { grant_type: 'password' }).expect(400)).body.error,
    ).toBe('unsupported_grant_type');
  });

  it('when failures exceed the per-IP budget, then 429 rate_limited even with the right secret, until the window ends', async () => {
    const { harness, service } = await setUp({
      clientAuthLimits: { perIp: 3, windowMs: 60_000 },
    });
    const wrong = { clientId: 'billing', secret: 'wrong' };
    for (let i = 0; i < 3; i++) {
      await service
        .post('/auth/token', { grant_type: 'client_credentials' }, 'basic', wrong)
        .expect(401);
    }
    const limited = await service.token().expect(429);
    expect(limited.body).toMatchObject({
      error: 'rate_limited',
      error_description: expect.stringMatching(/too many failed client authentications/),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    harness.clock.advance(60_000);
    await service.token().expect(200);
  });

  it('when wrong secrets for one client come from many addresses, then the client itself still authenticates', async () => {
    const { service } = await setUp({
      env: { TRUST_PROXY: 'true' },
      clientAuthLimits: { perIp: 3, windowMs: 60_000 },
    });
    const from = (ip: string, secret: string) =>
      request(service.server)
        .post('/auth/token')
        .type('form')
        .set('X-Forwarded-For', ip)
        .set('Authorization', basicAuth('billing', secret))
        .send({ grant_type: 'client_credentials' });
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      for (let i = 0; i < 3; i++) await from(ip, 'wrong').expect(401);
    }
    expect((await from('10.0.0.1', service.secret).expect(429)).body.error).toBe('rate_limited');
    await from('10.0.0.4', service.secret).expect(200);
  });

  it('when a public client is named with secrets, then nothing is counted and it is never refused', async () => {
    const { harness } = await setUp({
      env: { TRUST_PROXY: 'true' },
      clientAuthLimits: { perIp: 2, windowMs: 60_000 },
    });
    const flow = deviceFlow(harness);
    const start = (ip: string, form: Record<string, string>) =>
      request(flow.server)
        .post('/auth/device_authorization')
        .type('form')
        .set('X-Forwarded-For', ip)
        .send(form);
    for (let i = 0; i < 5; i++) {
      const res = await start('10.0.0.9', { client_id: 'gatehouse-cli', client_secret: `x${i}` });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_client');
    }
    await start('10.0.0.9', { client_id: 'gatehouse-cli' }).expect(200);
    await start('10.0.0.10', { client_id: 'gatehouse-cli' }).expect(200);
  });

  it('when client authentications and wrong user codes come from one address, then each spends only its own budget', async () => {
    const { harness, service } = await setUp({
      clientAuthLimits: { perIp: 2, windowMs: 600_000 },
      guessLimits: { perUser: 2, total: 2, windowMs: 600_000 },
    });
    const flow = deviceFlow(harness);
    const { cookie } = await harness.signIn();
    const started = await flow.start();
    const wrong = { clientId: 'billing', secret: 'wrong' };
    for (let i = 0; i < 2; i++) {
      await service
        .post('/auth/token', { grant_type: 'client_credentials' }, 'basic', wrong)
        .expect(401);
    }
    await service.token().expect(429);
    await flow.confirmPage(cookie, 'BBBB-BBBB').expect(400);
    await flow.confirmPage(cookie, started.user_code).expect(200);
    await flow.confirmPage(cookie, 'BBBB-BBBB').expect(400);
    await flow.confirmPage(cookie, started.user_code).expect(429);
    expect((await service.token().expect(429)).body.error).toBe('rate_limited');
  });
});
