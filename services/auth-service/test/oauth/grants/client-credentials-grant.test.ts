import { describe, expect, it } from '@jest/globals';
import { decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { serviceClient } from '../../support/service-client.js';
import { buildTokenApp } from '../../support/token-app.js';
import { verifyAccessToken } from '../../support/verify-access-token.js';

async function setUp(env: Record<string, string> = {}) {
  const harness = await buildTokenApp({ env });
  return { harness, service: await serviceClient(harness) };
}

describe('grant_type=client_credentials (RFC 6749 section 4.4)', () => {
  it('when a service client asks, then its token names the client as sub and client_id, its grant as sid, and nothing of a user', async () => {
    const { harness, service } = await setUp();
    const res = await service.token().expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'api:read api:write',
    });
    const { payload } = await verifyAccessToken(
      res.body.access_token,
      JSON.parse(harness.keys.publication().body),
      harness.clock.now(),
    );
    expect(payload).toEqual({
      iss: 'http://localhost:8080/auth',
      aud: 'gatehouse-api',
      sub: 'billing',
      client_id: 'billing',
      sid: service.client.grantId,
      scope: 'api:read api:write',
      iat: expect.any(Number),
      exp: payload.iat! + 300,
      jti: expect.any(String),
    });
    expect(decodeProtectedHeader(res.body.access_token).typ).toBe('at+jwt');
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ audit: 'client_token_issued', client_id: 'billing' }),
    );
  });

  it('when a scope within the registered ones is asked for, then the token has exactly it', async () => {
    const { service } = await setUp();
    const res = await service.token({ scope: 'api:read' }).expect(200);
    expect(res.body.scope).toBe('api:read');
  });

  it('when a scope beyond the registered ones is asked for, then 400 invalid_scope', async () => {
    const { service } = await setUp();
    const res = await service.token({ scope: 'api:read admin' }).expect(400);
    expect(res.body).toMatchObject({
      error: 'invalid_scope',
      error_description: 'scope must be within "api:read api:write"',
    });
  });

  it('when CLIENT_TOKEN_TTL is set, then the token lives that long', async () => {
    const { service } = await setUp({ CLIENT_TOKEN_TTL: '60' });
    expect((await service.token().expect(200)).body.expires_in).toBe(60);
  });

  it('when a public client asks, then 400 unauthorized_client', async () => {
    const harness = await buildTokenApp();
    const res = await request(harness.app.callback())
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'gatehouse-cli' })
      .expect(400);
    expect(res.body.error).toBe('unauthorized_client');
  });

  it('when a service client uses a user grant, then 400 unauthorized_client', async () => {
    const { service } = await setUp();
    const res = await service
      .post('/auth/token', { grant_type: 'refresh_token', refresh_token: 'x' })
      .expect(400);
    expect(res.body.error).toBe('unauthorized_client');
    const device = await service.post('/auth/device_authorization', {}).expect(400);
    expect(device.body.error).toBe('unauthorized_client');
  });
});
