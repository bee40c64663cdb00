import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { rotateSigningKey } from '../../src/keys/rotate-signing-key.js';
import { buildTokenApp } from '../support/token-app.js';

const JWKS = '/auth/.well-known/jwks.json';
const DISCOVERY = '/auth/.well-known/openid-configuration';
const RFC8414 = '/.well-known/oauth-authorization-server/auth';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/** A harness whose key set holds an ES256, an EdDSA and an RS256 key at once. */
async function withEveryKeyType() {
  const harness = await buildTokenApp();
  const rotate = (alg: 'EdDSA' | 'RS256') =>
    rotateSigningKey({
      repository: harness.keyRepository,
      alg,
      now: harness.clock.now(),
      publishDelayMs: 60_000,
      retainMs: 660_000,
    });
  await rotate('EdDSA');
  harness.clock.advance(61_000);
  await rotate('RS256');
  harness.clock.advance(2_000);
  await harness.keys.refresh();
  return harness;
}

describe('JWKS and discovery', () => {
  it('when the key set holds every key type, then only public members are served', async () => {
    const res = await request((await withEveryKeyType()).app.callback())
      .get(JWKS)
      .expect(200);
    expect(res.body.keys.map((k: { kty: string }) => k.kty)).toEqual(['EC', 'OKP', 'RSA']);
    for (const key of res.body.keys) {
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
      expect(key).toMatchObject({ kid: expect.any(String), alg: expect.any(String), use: 'sig' });
    }
    expect(res.text).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
  });

  it('when fetched, then it is cacheable below the publish delay with a strong ETag', async () => {
    const harness = await buildTokenApp({ env: { KEY_PUBLISH_DELAY: '660' } });
    const res = await request(harness.app.callback()).get(JWKS).expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('when If-None-Match carries the current ETag, then the answer is 304 without a body', async () => {
    const server = (await buildTokenApp()).app.callback();
    const { etag } = (await request(server).get(JWKS).expect(200)).headers;
    const res = await request(server).get(JWKS).set('If-None-Match', etag).expect(304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(etag);
    await request(server).get(JWKS).set('If-None-Match', '"stale"').expect(200);
  });

  it('when a key is rotated in, then the ETag changes and the old one gets the new set', async () => {
    const harness = await buildTokenApp();
    const server = harness.app.callback();
    const { etag } = (await request(server).get(JWKS)).headers;
    await rotateSigningKey({
      repository: harness.keyRepository,
      alg: 'ES256',
      now: harness.clock.now(),
      publishDelayMs: 900_000,
      retainMs: 660_000,
    });
    harness.clock.advance(1_500);
    await harness.keys.refresh();
    const res = await request(server).get(JWKS).set('If-None-Match', etag).expect(200);
    expect(res.body.keys).toHaveLength(2);
    expect(res.headers.etag).not.toBe(etag);
  });

  it('when discovery is fetched, then it names the issuer, its endpoints and the algorithms', async () => {
    const server = (await buildTokenApp()).app.callback();
    const res = await request(server).get(DISCOVERY).expect(200);
    expect(res.body).toEqual({
      issuer: 'http://localhost:8080/auth',
      jwks_uri: 'http://localhost:8080/auth/.well-known/jwks.json',
      revocation_feed_uri: 'http://localhost:8080/auth/.well-known/revocations',
      assertion_jwks_uri: 'http://localhost:8080/.well-known/gatehouse-assertion-jwks.json',
      token_endpoint: 'http://localhost:8080/auth/token',
      device_authorization_endpoint: 'http://localhost:8080/auth/device_authorization',
      revocation_endpoint: 'http://localhost:8080/auth/revoke',
      introspection_endpoint: 'http://localhost:8080/auth/introspect',
      grant_types_supported: [
        'urn:ietf:params:oauth:grant-type:device_code',
        'refresh_token',
        'client_credentials',
      ],
      response_types_supported: ['none'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: [
        'none',
        'client_secret_basic',
        'client_secret_post',
      ],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['api'],
      id_token_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256'],
      access_token_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256'],
      subject_types_supported: ['public'],
      claims_supported: expect.arrayContaining(['sub', 'client_id', 'jti', 'roles', 'scope']),
    });
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    await request(server).get(DISCOVERY).set('If-None-Match', res.headers.etag).expect(304);
  });

  it('when the RFC 8414 metadata is fetched, then it is the discovery document byte for byte', async () => {
    const server = (await buildTokenApp()).app.callback();
    const openid = await request(server).get(DISCOVERY).expect(200);
    const oauth = await request(server).get(RFC8414).expect(200);
    expect(oauth.text).toBe(openid.text);
    expect(oauth.headers.etag).toBe(openid.headers.etag);
    expect(oauth.headers['content-type']).toMatch(/^application\/json/);
    await request(server).get(`${RFC8414}/`).expect(404);
  });

  it('when keys of another algorithm are rotated in, then the algorithm lists do not change', async () => {
    const harness = await buildTokenApp();
    const before = await request(harness.app.callback()).get(DISCOVERY).expect(200);
    expect(harness.keys.publication().algorithms).toEqual(['ES256']);
    const rotated = await withEveryKeyType();
    expect(rotated.keys.publication().algorithms).toEqual(['ES256', 'EdDSA', 'RS256']);
    const after = await request(rotated.app.callback()).get(DISCOVERY).expect(200);
    expect(after.text).toBe(before.text);
  });
});
