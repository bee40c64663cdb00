import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { CLI_CLIENT_ID } from '../../../src/oauth/clients/cli-client.js';
import { purgeEndedFamilies } from '../../../src/oauth/refresh/purge-ended-families.js';
import { deviceFlow } from '../../support/device-flow.js';
import { buildTokenApp } from '../../support/token-app.js';

const DAY = 86_400_000;
/** ACCESS_TOKEN_TTL (600 s) plus the clock skew (60 s): the last access token's reach. */
const ACCESS_REACH_MS = 660_000;

async function harnessWithDevice(email = 'ada@example.com') {
  const harness = await buildTokenApp();
  const flow = deviceFlow(harness);
  const signedInAt = harness.clock.now();
  const { tokens } = await flow.signInDevice(email);
  const purge = () =>
    purgeEndedFamilies(harness.oauth.refreshTokens, harness.config.tokens, harness.clock.now());
  const count = (table: 'refresh_tokens' | 'refresh_families') =>
    Number(harness.db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);
  return { harness, flow, signedInAt, refreshToken: String(tokens.refresh_token), purge, count };
}

describe('purging ended refresh families', () => {
  it('when a family is live, then the purge keeps its rotated tokens and presenting one is still reuse', async () => {
    const { harness, flow, refreshToken, purge, count } = await harnessWithDevice();
    harness.clock.advance(DAY);
    const second = (await flow.refresh(refreshToken).expect(200)).body.refresh_token;
    harness.clock.advance(DAY);
    await flow.refresh(second).expect(200);
    harness.clock.advance(DAY);
    expect(await purge()).toBe(0);
    expect(count('refresh_tokens')).toBe(3);
    const reuse = await flow.refresh(refreshToken).expect(400);
    expect(reuse.body.error_description).toMatch(/already used/);
    expect(harness.logs).toContainEqual(expect.objectContaining({ audit: 'refresh_token_reuse' }));
  });

  it('when a family was revoked, then it is kept while its access tokens live and deleted with its tokens after', async () => {
    const { harness, flow, refreshToken, purge, count } = await harnessWithDevice();
    await flow.refresh(refreshToken).expect(200);
    await request(flow.server)
      .post('/auth/revoke')
      .type('form')
      .send({ token: refreshToken, client_id: CLI_CLIENT_ID })
      .expect(200);
    harness.clock.advance(ACCESS_REACH_MS - 1);
    expect(await purge()).toBe(0);
    expect(count('refresh_families')).toBe(1);
    harness.clock.advance(1);
    expect(await purge()).toBe(1);
    expect(count('refresh_families')).toBe(0);
    expect(count('refresh_tokens')).toBe(0);
    const res = await flow.refresh(refreshToken).expect(400);
    expect(res.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'unknown refresh token',
    });
  });

  it('when a family passed its absolute lifetime, then it is deleted once its last access token expired', async () => {
    const { harness, flow, signedInAt, refreshToken, purge, count } = await harnessWithDevice();
    harness.db
      .prepare('UPDATE clients SET refresh_absolute_ttl = 3600 WHERE client_id = ?')
      .run(CLI_CLIENT_ID);
    harness.clock.advance(3_000_000);
    await flow.refresh(refreshToken).expect(200);
    harness.clock.set(signedInAt + 3_600_000 + ACCESS_REACH_MS - 1);
    expect(await purge()).toBe(0);
    harness.clock.advance(1);
    expect(await purge()).toBe(1);
    expect(count('refresh_tokens')).toBe(0);
  });

  it('when the current token went unused past the idle lifetime, then the family is deleted; a used one is kept', async () => {
    const { harness, flow, signedInAt, refreshToken, purge, count } = await harnessWithDevice();
    // A second sign-in that keeps refreshing stays.
    const other = await flow.signInDevice('grace@example.com');
    let token = String(other.tokens.refresh_token);
    for (let day = 0; day < 14; day += 1) {
      harness.clock.advance(DAY);
      token = (await flow.refresh(token).expect(200)).body.refresh_token;
    }
    harness.clock.set(signedInAt + 14 * DAY + ACCESS_REACH_MS - 1);
    expect(await purge()).toBe(0);
    harness.clock.advance(1);
    expect(await purge()).toBe(1);
    expect(count('refresh_families')).toBe(1);
    expect((await flow.refresh(refreshToken).expect(400)).body.error_description).toBe(
      'unknown refresh token',
    );
    await flow.refresh(token).expect(200);
  });
});
