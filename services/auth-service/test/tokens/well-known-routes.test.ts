import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { rotateSigningKey } from '../../src/keys/rotate-signing-key.js';
import { buildTokenApp } from '../support/token-app.js';

const JWKS = '/auth/.well-known/jwks.json';
const DISCOVERY = '/auth/.well-known/openid-configuration';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** A harness whose key set holds an ES256, an EdDSA and an RS256 key at once. */
function withEveryKeyType() {
  const harness = buildTokenApp({ env: { KEY_PUBLISH_DELAY: '60' } });
  const rotate = (alg: 'EdDSA' | 'RS256') =>
    rotateSigningKey({
      dir: join(harness.dataDir, 'keys'),
      alg,
      now: harness.clock.now(),
      publishDelayMs: 60_000,
      retainMs: 660_000,
    });
  rotate('EdDSA');
  harness.clock.advance(61_000);
  rotate('RS256');
  harness.clock.advance(2_000);
  return harness;
}

describe('JWKS and discovery', () => {
  it('when the key set holds every key type, then only public members are served', async () => {
    const res = await request(withEveryKeyType().app.callback()).get(JWKS).expect(200);
    expect(res.body.keys.map((k: { kty: string }) => k.kty)).toEqual(['EC', 'OKP', 'RSA']);
    for (const key of res.body.keys) {
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
      expect(key).toMatchObject({ kid: expect.any(String), alg: expect.any(String), use: 'sig' });
    }
    expect(res.text).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
  });

  it('when fetched, then it is cacheable below the publish delay with a strong ETag', async () => {
    const harness = buildTokenApp({ env: { KEY_PUBLISH_DELAY: '120' } });
    const res = await request(harness.app.callback()).get(JWKS).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('when If-None-Match carries the current ETag, then the answer is 304 without a body', async () => {
    const server = buildTokenApp().app.callback();
    const { etag } = (await request(server).get(JWKS).expect(200)).headers;
    const res = await request(server).get(JWKS).set('If-None-Match', etag).expect(304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(etag);
    await request(server).get(JWKS).set('If-None-Match', '"stale"').expect(200);
  });

  it('when a key is rotated in, then the ETag changes and the old one gets the new set', async () => {
    const harness = buildTokenApp();
    const server = harness.app.callback();
    const { etag } = (await request(server).get(JWKS)).headers;
    rotateSigningKey({
      dir: join(harness.dataDir, 'keys'),
      alg: 'ES256',
      now: harness.clock.now(),
      publishDelayMs: 900_000,
      retainMs: 660_000,
    });
    harness.clock.advance(1_500);
    const res = await request(server).get(JWKS).set('If-None-Match', etag).expect(200);
    expect(res.body.keys).toHaveLength(2);
    expect(res.headers.etag).not.toBe(etag);
  });

  it('when discovery is fetched, then it names the issuer, the JWKS and the algorithms', async () => {
    const server = withEveryKeyType().app.callback();
    const res = await request(server).get(DISCOVERY).expect(200);
    expect(res.body).toMatchObject({
      issuer: 'http://localhost:8080/auth',
      jwks_uri: 'http://localhost:8080/auth/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256'],
      access_token_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256'],
    });
    expect(res.headers['cache-control']).toBe('public, max-age=30');
    await request(server).get(DISCOVERY).set('If-None-Match', res.headers.etag).expect(304);
  });
});
