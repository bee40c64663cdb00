import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '@gatehouse/shared';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

function app() {
  return createApp(loadConfig({ NODE_ENV: 'test' }), { logger: silentLogger() }).callback();
}

describe('discovery and keys', () => {
  it('when the discovery document is fetched, then it names the issuer and its endpoints', async () => {
    const response = await request(app()).get('/.well-known/openid-configuration');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      issuer: 'http://localhost:4003',
      authorization_endpoint: 'http://localhost:4003/auth',
      token_endpoint: 'http://localhost:4003/token',
      jwks_uri: 'http://localhost:4003/jwks',
      userinfo_endpoint: 'http://localhost:4003/me',
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
    });
    expect(response.body.token_endpoint_auth_methods_supported).toEqual([
      'client_secret_basic',
      'client_secret_post',
    ]);
    expect(response.body.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'email', 'email_verified', 'name', 'picture', 'hd']),
    );
  });

  it('when DEV_IDP_ISSUER is set, then the document is built on it', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DEV_IDP_ISSUER: 'http://dev-idp.test:4003/' });
    const response = await request(createApp(config, { logger: silentLogger() }).callback()).get(
      '/.well-known/openid-configuration',
    );
    expect(response.body.issuer).toBe('http://dev-idp.test:4003');
    expect(response.body.jwks_uri).toBe('http://dev-idp.test:4003/jwks');
  });

  it('when discovery is fetched through another host name (a backchannel), then the endpoints stay on the issuer', async () => {
    const response = await request(app())
      .get('/.well-known/openid-configuration')
      .set('Host', 'dev-idp:4003');
    expect(response.body.authorization_endpoint).toBe('http://localhost:4003/auth');
    expect(response.body.token_endpoint).toBe('http://localhost:4003/token');
  });

  it('when the JWKS is fetched, then it holds one public RS256 signing key and no private part', async () => {
    const response = await request(app()).get('/jwks');
    expect(response.status).toBe(200);
    expect(response.body.keys).toHaveLength(1);
    const [key] = response.body.keys as Record<string, unknown>[];
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(part);
  });

  it('when two apps start, then each has its own generated key', async () => {
    const [a, b] = await Promise.all([request(app()).get('/jwks'), request(app()).get('/jwks')]);
    expect(a.body.keys[0].kid).not.toBe(b.body.keys[0].kid);
  });

  it('when /healthz and /readyz are asked, then both answer 200 at the root', async () => {
    const server = app();
    expect((await request(server).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(server).get('/readyz')).status).toBe(200);
  });

  it('when an unknown path is asked, then the answer is a JSON 404', async () => {
    const response = await request(app()).get('/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not_found' });
  });
});
