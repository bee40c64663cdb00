import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../src/config.js';
import { eventually, testRevocationFeed } from '../../../shared/test/tokens/revocation-feed.js';
import {
  jwksOf,
  signTestToken,
  startJwksServer,
  T0,
  testKey,
} from '../../../shared/test/tokens/support.js';
import { testApp } from './support/test-app.js';

const key = testKey('ES256');
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((stop) => stop()));
});

async function setUp() {
  const jwks = await startJwksServer(jwksOf(key));
  const feed = testRevocationFeed();
  const built = testApp({
    jwksUrl: jwks.url,
    now: () => T0 + 60_000,
    fetch: feed.fetch,
    env: { REVOCATION_CHECK: 'on', REVOCATIONS_URL: feed.url },
  });
  cleanup.push(
    () => built.verifier.close(),
    () => jwks.stop(),
  );
  return { ...built, feed };
}

describe('api-service revocation check', () => {
  it('when a token was revoked, then /api/me is 401 invalid_token with an RFC 6750 challenge naming the revocation', async () => {
    const { callback, feed } = await setUp();
    const token = signTestToken({ key, now: T0 });
    const me = () => request(callback).get('/api/me').set('Authorization', `Bearer ${token}`);
    expect((await me()).status).toBe(200);
    feed.revoke({ sid: 'session-1' }, T0 + 1000);
    await eventually(async () => (await me()).status === 401);
    const res = await me();
    expect(res.body).toMatchObject({
      error: 'invalid_token',
      error_description: 'the token has been revoked',
    });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="gatehouse", error="invalid_token", error_description="the token has been revoked"',
    );
  });

  it('when the feed is unreachable, then /readyz stays 200 and says so in its details', async () => {
    const { callback, feed, verifier } = await setUp();
    feed.setDown(true);
    await eventually(() => verifier.revocations()?.error !== undefined);
    const res = await request(callback).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.details.revocations).toMatchObject({ current: false, entries: 0 });
  });
});

describe('api-service revocation configuration', () => {
  const base = { JWKS_URL: 'http://auth:4001/auth/.well-known/jwks.json' };
  it('when nothing is set, then the feed beside JWKS_URL is followed every 2 s', () => {
    const { verifier } = loadConfig(base);
    expect(verifier.revocationsUrl).toBe('http://auth:4001/auth/.well-known/revocations');
    expect(verifier.revocationPollInterval).toBe(2000);
  });

  it('when REVOCATION_CHECK=off, then no feed is followed', () => {
    expect(loadConfig({ ...base, REVOCATION_CHECK: 'off' }).verifier.revocationsUrl).toBe(false);
  });

  it('when REVOCATION_CHECK or REVOCATION_POLL_INTERVAL is malformed, then start-up fails naming them', () => {
    expect(() =>
      loadConfig({ ...base, REVOCATION_CHECK: 'yes', REVOCATION_POLL_INTERVAL: '0' }),
    ).toThrow(
      /REVOCATION_CHECK[\s\S]*REVOCATION_POLL_INTERVAL|REVOCATION_POLL_INTERVAL[\s\S]*REVOCATION_CHECK/,
    );
  });
});
