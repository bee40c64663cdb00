import { describe, expect, it } from '@jest/globals';
import { MAX_CLOCK_TOLERANCE_SECONDS } from '@gatehouse/shared';
import request from 'supertest';
import { CLI_CLIENT_ID } from '../../../src/oauth/clients/cli-client.js';
import { deviceFlow } from '../../support/device-flow.js';
import { serviceClient } from '../../support/service-client.js';
import { buildTokenApp } from '../../support/token-app.js';

async function setUp() {
  const harness = await buildTokenApp();
  return { harness, service: await serviceClient(harness), flow: deviceFlow(harness) };
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    exp: number;
    jti: string;
  };

const revoked = (logs: Record<string, unknown>[]) =>
  logs.filter((line) => line.audit === 'token_revoked');

describe('POST /auth/revoke (RFC 7009) for access tokens', () => {
  it('when a service client revokes its access token, then 200, audited by jti, and introspection says inactive', async () => {
    const { harness, service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    const res = await service.revoke(token, 'post').expect(200);
    expect(res.text).toBe('');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(revoked(harness.logs)).toEqual([
      expect.objectContaining({
        kind: 'access_token',
        client_id: 'billing',
        sub: 'billing',
        jti: expect.any(String),
      }),
    ]);
    expect((await service.introspect(token).expect(200)).body).toEqual({ active: false });
    const next = (await service.token().expect(200)).body.access_token;
    expect((await service.introspect(next).expect(200)).body.active).toBe(true);
  });

  it('when the CLI revokes its access token, then only that token ends; its refresh token still works', async () => {
    const { harness, service, flow } = await setUp();
    const { tokens } = await flow.signInDevice('ada@example.com');
    await request(flow.server)
      .post('/auth/revoke')
      .type('form')
      .send({
        token: tokens.access_token,
        token_type_hint: 'access_token',
        client_id: CLI_CLIENT_ID,
      })
      .expect(200);
    expect(revoked(harness.logs)).toHaveLength(1);
    expect((await service.introspect(String(tokens.access_token))).body).toEqual({ active: false });
    await flow.refresh(String(tokens.refresh_token)).expect(200);
  });

  it("when a client revokes another client's token, then 200 and the token is left alone (section 2.2)", async () => {
    const { harness, service, flow } = await setUp();
    const other = await serviceClient(harness, { clientId: 'reports' });
    const { tokens } = await flow.signInDevice('ada@example.com');
    const otherToken = (await other.token().expect(200)).body.access_token;
    await service.revoke(otherToken).expect(200);
    await service.revoke(String(tokens.access_token)).expect(200);
    await service.revoke(String(tokens.refresh_token), 'post').expect(200);
    expect(revoked(harness.logs)).toEqual([]);
    expect((await service.introspect(otherToken)).body.active).toBe(true);
    await flow.refresh(String(tokens.refresh_token)).expect(200);
  });

  it('when the token is a foreign JWT, expired past every clock tolerance or garbage, then 200 and nothing is recorded', async () => {
    const { harness, service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    const { exp } = claimsOf(token);
    harness.clock.set((exp + MAX_CLOCK_TOLERANCE_SECONDS) * 1000);
    await service.revoke(token).expect(200);
    await service.revoke('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln').expect(200);
    await service.revoke('garbage').expect(200);
    expect(revoked(harness.logs)).toEqual([]);
  });

  it('when the token expired but a verifier may still accept it (clock tolerance), then it is recorded', async () => {
    const { harness, service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    const { exp, jti } = claimsOf(token);
    harness.clock.set(exp * 1000 + 10_000);
    await service.revoke(token).expect(200);
    expect(revoked(harness.logs)).toEqual([expect.objectContaining({ jti })]);
    const { entries } = await harness.oauth.revocations.since(0, 10);
    expect(entries).toEqual([expect.objectContaining({ jti })]);
  });

  it('when a confidential client does not authenticate, then 401 invalid_client and nothing is revoked', async () => {
    const { harness, service } = await setUp();
    const token = (await service.token().expect(200)).body.access_token;
    const bare = await request(service.server)
      .post('/auth/revoke')
      .type('form')
      .send({ token, client_id: 'billing' })
      .expect(401);
    expect(bare.body.error).toBe('invalid_client');
    const wrong = await service
      .post('/auth/revoke', { token }, 'basic', { clientId: 'billing', secret: 'no' })
      .expect(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic /);
    expect(revoked(harness.logs)).toEqual([]);
    expect((await service.introspect(token)).body.active).toBe(true);
  });
});

describe('the revocation feed', () => {
  it('when an access token is revoked, then the feed entry names its jti until every verifier refuses the token (exp plus the most clock tolerance)', async () => {
    const harness = await buildTokenApp();
    const service = await serviceClient(harness);
    const token = (await service.token().expect(200)).body.access_token;
    await service.revoke(token).expect(200);
    const claims = claimsOf(token);
    const { entries } = await harness.oauth.revocations.since(0, 10);
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        jti: claims.jti,
        at: harness.clock.now(),
        expiresAt: (claims.exp + MAX_CLOCK_TOLERANCE_SECONDS) * 1000,
        reason: 'revoked_by_client',
      },
    ]);
  });
});
