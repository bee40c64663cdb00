import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { runUsersCommand } from '../../../src/admin-cli/users-command.js';
import { hashOpaqueToken } from '../../../src/tokens/opaque-token.js';
import { manualClock } from '../../support/key-fixtures.js';
import { deviceFlow } from '../../support/device-flow.js';
import { SAME_ORIGIN, buildTokenApp } from '../../support/token-app.js';

const T = Date.UTC(2026, 0, 1, 0, 0, 0, 700);
const FEED = '/auth/.well-known/revocations';
/** ACCESS_TOKEN_TTL (600 s) plus the verifiers' largest clock tolerance (60 s). */
const LIFETIME_S = 660;

async function harness() {
  const app = await buildTokenApp({ clock: manualClock(T) });
  const server = app.app.callback();
  const feed = (since?: string) =>
    request(server).get(since === undefined ? FEED : `${FEED}?since=${since}`);
  const post = (path: string, cookie: string) =>
    request(server).post(path).set(SAME_ORIGIN).set('Cookie', cookie);
  return { ...app, server, feed, post };
}

describe('GET /auth/.well-known/revocations', () => {
  it('when a browser signs out, then its sid is in the feed with at and exp in seconds, cacheable briefly with an ETag', async () => {
    const h = await harness();
    const { sid, cookie } = await h.signIn();
    await h.post('/auth/logout', cookie).expect(204);
    const res = await h.feed().expect(200);
    expect(res.body).toEqual({
      entries: [{ sid, at: Math.floor(T / 1000), exp: Math.ceil(T / 1000) + LIFETIME_S }],
      cursor: expect.any(String),
      more: false,
    });
    expect(res.headers['cache-control']).toBe('public, max-age=1');
    await h.feed().set('If-None-Match', res.headers.etag!).expect(304);
    const next = await h.feed(res.body.cursor).expect(200);
    expect(next.body).toEqual({ entries: [], cursor: res.body.cursor, more: false });
  });

  it('when a user signs out everywhere, then every session of theirs ends and their sub is in the feed', async () => {
    const h = await harness();
    const laptop = await h.signIn('ada@example.com');
    const phone = await h.signIn('ada@example.com');
    await h.post('/auth/logout', laptop.cookie).type('form').send({ everywhere: '1' }).expect(204);
    await request(h.server).get('/auth/session').set('Cookie', phone.cookie).expect(401);
    const { entries } = (await h.feed().expect(200)).body;
    expect(entries).toEqual([
      { sub: laptop.user.id, at: Math.floor(T / 1000), exp: expect.any(Number) },
    ]);
  });

  it('when an admin disables a user, then the sub is in the feed', async () => {
    const h = await harness();
    const admin = await h.signIn('root@example.com', ['admin']);
    const ada = await h.signIn('ada@example.com');
    await h.post(`/auth/admin/users/${ada.user.id}/disable`, admin.cookie).expect(204);
    const { entries } = (await h.feed().expect(200)).body;
    expect(entries).toContainEqual(expect.objectContaining({ sub: ada.user.id }));
  });

  it('when a refresh token is revoked (RFC 7009) or reused, then its family id, the sid of its access tokens, is in the feed', async () => {
    const h = await harness();
    const flow = deviceFlow(h);
    const first = await flow.signInDevice('ada@example.com');
    const second = await flow.signInDevice('ada@example.com');
    const sidOf = async (refreshToken: string) =>
      (await h.oauth.refreshTokens.find(hashOpaqueToken(refreshToken)))!.family.id;
    const firstSid = await sidOf(String(first.tokens.refresh_token));
    const secondSid = await sidOf(String(second.tokens.refresh_token));
    await request(h.server)
      .post('/auth/revoke')
      .type('form')
      .send({ token: String(first.tokens.refresh_token), client_id: 'gatehouse-cli' })
      .expect(200);
    const old = String(second.tokens.refresh_token);
    await flow.refresh(old).expect(200);
    h.clock.advance(11_000);
    await flow.refresh(old).expect(400);
    const sids = (await h.feed().expect(200)).body.entries.map((e: { sid?: string }) => e.sid);
    expect(sids).toEqual([firstSid, secondSid]);
  });

  it('when the users CLI disables or removes a user, then the sub is in the feed the service publishes', async () => {
    const h = await harness();
    const ada = await h.signIn('ada@example.com');
    const bob = await h.signIn('bob@example.com');
    const io = { out: () => {}, err: () => {} };
    expect(
      await runUsersCommand(['disable', 'ada@example.com'], { DATA_DIR: h.dataDir }, io, T),
    ).toBe(0);
    expect(
      await runUsersCommand(['remove', 'bob@example.com'], { DATA_DIR: h.dataDir }, io, T),
    ).toBe(0);
    const { entries } = (await h.feed().expect(200)).body;
    expect(entries.map((e: { sub?: string }) => e.sub)).toEqual([ada.user.id, bob.user.id]);
    // The CLI does not know ACCESS_TOKEN_TTL: its entries outlive the longest one allowed.
    expect(entries[0].exp).toBe(Math.ceil(T / 1000) + 86_400 + 60);
  });

  it.each(['abc', '-1', '01', '1e3', '99999999999999999'])(
    'when since is %s, then 400 invalid_request',
    async (since) => {
      const h = await harness();
      const res = await h.feed(since).expect(400);
      expect(res.body.error).toBe('invalid_request');
    },
  );
});
