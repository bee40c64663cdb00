import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { CLI_CLIENT_ID } from '../../../src/oauth/clients/cli-client.js';
import { deviceFlow } from '../../support/device-flow.js';
import { buildTokenApp } from '../../support/token-app.js';

/** Past ROTATION_GRACE_MS: presenting a rotated token now is reuse. */
const AFTER_GRACE_MS = 11_000;

async function signedInDevice() {
  const harness = await buildTokenApp();
  const flow = deviceFlow(harness);
  const { user, tokens } = await flow.signInDevice('ada@example.com');
  const refreshWithScope = (refreshToken: string, scope: string) =>
    request(flow.server).post('/auth/token').type('form').send({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLI_CLIENT_ID,
      scope,
    });
  return { harness, flow, user, refreshToken: String(tokens.refresh_token), refreshWithScope };
}

describe('grant_type=refresh_token, refused before rotation', () => {
  it('when a scope beyond the grant is asked for, then invalid_scope and the same token still refreshes after the grace window', async () => {
    const { harness, flow, refreshToken, refreshWithScope } = await signedInDevice();
    const refused = await refreshWithScope(refreshToken, 'api admin').expect(400);
    expect(refused.body.error).toBe('invalid_scope');
    expect(refused.headers['cache-control']).toBe('no-store');
    harness.clock.advance(AFTER_GRACE_MS);
    const res = await flow.refresh(refreshToken).expect(200);
    expect(res.body.scope).toBe('api');
    expect(harness.logs).not.toContainEqual(
      expect.objectContaining({ audit: 'refresh_token_reuse' }),
    );
    await flow.refresh(res.body.refresh_token).expect(200);
  });

  it('when the scope asked for is within the grant, then the refresh succeeds', async () => {
    const { refreshToken, refreshWithScope } = await signedInDevice();
    expect((await refreshWithScope(refreshToken, 'api').expect(200)).body.scope).toBe('api');
  });

  it('when the client may no longer ask for a granted scope, then invalid_scope and the token is kept', async () => {
    const { harness, flow, refreshToken, refreshWithScope } = await signedInDevice();
    const setScopes = (scopes: string[]) =>
      harness.db
        .prepare('UPDATE clients SET scopes = ? WHERE client_id = ?')
        .run(JSON.stringify(scopes), CLI_CLIENT_ID);
    setScopes([]);
    expect((await refreshWithScope(refreshToken, 'api').expect(400)).body.error).toBe(
      'invalid_scope',
    );
    setScopes(['api']);
    harness.clock.advance(AFTER_GRACE_MS);
    await flow.refresh(refreshToken).expect(200);
  });

  it('when a racing duplicate inside the grace window asks for a bad scope, then invalid_scope and the successor is unharmed', async () => {
    const { flow, refreshToken, refreshWithScope } = await signedInDevice();
    const next = (await flow.refresh(refreshToken).expect(200)).body.refresh_token;
    expect((await refreshWithScope(refreshToken, 'admin').expect(400)).body.error).toBe(
      'invalid_scope',
    );
    await flow.refresh(next).expect(200);
  });

  it('when a rotated token is reused with a bad scope, then the family is still revoked', async () => {
    const { harness, flow, refreshToken, refreshWithScope } = await signedInDevice();
    const next = (await flow.refresh(refreshToken).expect(200)).body.refresh_token;
    harness.clock.advance(AFTER_GRACE_MS);
    const reuse = await refreshWithScope(refreshToken, 'admin').expect(400);
    expect(reuse.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/already used/),
    });
    expect((await flow.refresh(next).expect(400)).body.error_description).toMatch(/revoked/);
  });

  it('when an unknown client presents the token, then 401 invalid_client without a challenge and the token still refreshes', async () => {
    const { harness, flow, refreshToken } = await signedInDevice();
    // RFC 6749 section 5.2: WWW-Authenticate is owed only to a client that used the
    // Authorization header; a public client names itself in the form.
    const res = await flow.refresh(refreshToken, 'nobody').expect(401);
    expect(res.body.error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toBeUndefined();
    harness.clock.advance(AFTER_GRACE_MS);
    await flow.refresh(refreshToken).expect(200);
  });

  it('when the user is disabled, then the presented token is refused without being rotated', async () => {
    const { harness, flow, user, refreshToken } = await signedInDevice();
    await harness.directory.setDisabled(user.id, true);
    expect((await flow.refresh(refreshToken).expect(400)).body.error_description).toMatch(
      /no longer active/,
    );
    const rows = harness.db.prepare('SELECT rotated_at FROM refresh_tokens').all();
    expect(rows).toEqual([{ rotated_at: null }]);
  });
});
