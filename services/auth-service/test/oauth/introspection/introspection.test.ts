import { describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { CLI_CLIENT_ID } from '../../../src/oauth/clients/cli-client.js';
import { deviceFlow } from '../../support/device-flow.js';
import { serviceClient } from '../../support/service-client.js';
import { buildTokenApp } from '../../support/token-app.js';

async function setUp() {
  const harness = await buildTokenApp();
  const service = await serviceClient(harness);
  const flow = deviceFlow(harness);
  return { harness, service, flow };
}

describe('POST /auth/introspect (RFC 7662)', () => {
  it('when a service client introspects its own access token, then the section 2.2 members describe it', async () => {
    const { service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    for (const method of ['basic', 'post'] as const) {
      const res = await service.introspect(token, method).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        active: true,
        scope: 'api:read api:write',
        client_id: 'billing',
        sub: 'billing',
        exp: expect.any(Number),
        iat: expect.any(Number),
        token_type: 'Bearer',
        iss: 'http://localhost:8080/auth',
        aud: 'gatehouse-api',
        jti: expect.any(String),
        sid: service.client.grantId,
      });
      expect(res.body.exp - res.body.iat).toBe(300);
    }
  });

  it("when a service client introspects a user's access and refresh tokens, then both are active with the user's email as username", async () => {
    const { service, flow, user } = await setUp().then(async (s) => ({
      ...s,
      user: (await s.flow.signInDevice('ada@example.com')).user,
    }));
    const { tokens } = await flow.signInDevice('ada@example.com');
    const access = await service.introspect(String(tokens.access_token)).expect(200);
    expect(access.body).toMatchObject({
      active: true,
      client_id: CLI_CLIENT_ID,
      sub: user.id,
      username: 'ada@example.com',
      scope: 'api',
      token_type: 'Bearer',
    });
    const refresh = await service.introspect(String(tokens.refresh_token)).expect(200);
    expect(refresh.body).toEqual({
      active: true,
      scope: 'api',
      client_id: CLI_CLIENT_ID,
      sub: user.id,
      exp: refresh.body.iat + 14 * 86_400,
      iat: expect.any(Number),
      iss: 'http://localhost:8080/auth',
      sid: access.body.sid,
    });
  });

  it('when the token is unknown, expired, rotated, revoked or not ours, then only {"active": false}', async () => {
    const { harness, service, flow } = await setUp();
    const inactive = async (token: string) =>
      expect((await service.introspect(token).expect(200)).body).toEqual({ active: false });
    await inactive('not-a-token');
    await inactive('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');

    const { tokens } = await flow.signInDevice('ada@example.com');
    const rotated = String(tokens.refresh_token);
    await flow.refresh(rotated).expect(200);
    await inactive(rotated);

    const serviceToken = (await service.token().expect(200)).body.access_token;
    await service.revoke(serviceToken).expect(200);
    await inactive(serviceToken);

    const fresh = (await service.token().expect(200)).body.access_token;
    harness.clock.advance(301_000);
    await inactive(fresh);
  });

  it('when the user is disabled or the service client removed, then their tokens are inactive', async () => {
    const { harness, service, flow } = await setUp();
    const other = await serviceClient(harness, { clientId: 'reports' });
    const { user, tokens } = await flow.signInDevice('ada@example.com');
    const otherToken = (await other.token().expect(200)).body.access_token;
    harness.directory.setDisabled(user.id, true);
    expect((await service.introspect(String(tokens.access_token))).body).toEqual({ active: false });
    expect((await service.introspect(String(tokens.refresh_token))).body).toEqual({
      active: false,
    });
    await harness.oauth.clients.remove('reports');
    expect((await service.introspect(otherToken)).body).toEqual({ active: false });
  });

  it('when a service introspects its own token, then its client is read once, by the authentication', async () => {
    const { harness, service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    const find = jest.spyOn(harness.oauth.clients, 'find');
    const read = jest.spyOn(harness.oauth.clients, 'findWithSecretHashes');
    expect((await service.introspect(token).expect(200)).body.active).toBe(true);
    expect(read).toHaveBeenCalledTimes(1);
    expect(find).not.toHaveBeenCalled();
  });

  it('when a service removed and registered again introspects a token of its first registration, then it is inactive', async () => {
    const { harness, service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    await harness.oauth.clients.remove('billing');
    const again = await serviceClient(harness);
    expect((await again.introspect(token).expect(200)).body).toEqual({ active: false });
    expect(
      (await again.introspect((await again.token().expect(200)).body.access_token)).body.active,
    ).toBe(true);
  });

  it('when a public client or a wrong secret calls, then 401 invalid_client', async () => {
    const { service } = await setUp();
    const publicClient = await request(service.server)
      .post('/auth/introspect')
      .type('form')
      .send({ token: 'x', client_id: CLI_CLIENT_ID })
      .expect(401);
    expect(publicClient.body.error).toBe('invalid_client');
    const wrong = await service
      .post('/auth/introspect', { token: 'x' }, 'basic', { clientId: 'billing', secret: 'no' })
      .expect(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm="gatehouse"/);
    const noToken = await service.post('/auth/introspect', {}).expect(400);
    expect(noToken.body.error).toBe('invalid_request');
  });

  it('when a service posts without an Origin, then it is served; a cross-site browser post is 403', async () => {
    const { service } = await setUp();
    expect((await service.introspect('x').expect(200)).body).toEqual({ active: false });
    const res = await service.introspect('x').set('Origin', 'https://evil.example').expect(403);
    expect(res.body.error).toBe('cross_site_request');
  });
});
