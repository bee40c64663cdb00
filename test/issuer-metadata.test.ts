import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as client from 'openid-client';
import { startSystem, type RunningSystem } from './support/start-system.js';

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem();
});
afterAll(async () => {
  await system.close();
});

async function document(path: string) {
  const res = await fetch(`${system.url}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Record<string, unknown>;
}

describe('issuer metadata through the gateway', () => {
  it('when both documents are fetched, then they agree and name the public endpoints', async () => {
    const openid = await document('/auth/.well-known/openid-configuration');
    const oauth = await document('/.well-known/oauth-authorization-server/auth');

    expect(oauth).toEqual(openid);
    expect(oauth).toMatchObject({
      issuer: `${system.url}/auth`,
      jwks_uri: `${system.url}/auth/.well-known/jwks.json`,
      revocation_feed_uri: `${system.url}/auth/.well-known/revocations`,
      token_endpoint: `${system.url}/auth/token`,
      response_types_supported: ['none'],
      grant_types_supported: expect.any(Array),
      scopes_supported: expect.arrayContaining(['api']),
      id_token_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256'],
    });
    const jwks = await document(new URL(oauth.jwks_uri as string).pathname);
    expect(jwks.keys).toEqual(expect.arrayContaining([expect.objectContaining({ use: 'sig' })]));
  });

  it('when assertion_jwks_uri is followed, then the gateway publishes the assertion keys there', async () => {
    const metadata = await document('/auth/.well-known/openid-configuration');
    expect(metadata.assertion_jwks_uri).toBe(
      `${system.url}/.well-known/gatehouse-assertion-jwks.json`,
    );
    const jwks = await document(new URL(metadata.assertion_jwks_uri as string).pathname);
    expect(jwks.keys).toEqual([expect.objectContaining({ alg: 'ES256', use: 'sig' })]);
    expect(jwks.keys).not.toEqual(
      expect.arrayContaining([expect.objectContaining({ d: expect.anything() })]),
    );
  });

  it.each(['oidc', 'oauth2'] as const)(
    'when openid-client discovers the issuer (%s), then it finds the same issuer and endpoints',
    async (algorithm) => {
      const issuer = new URL(`${system.url}/auth`);
      const config = await client.discovery(issuer, 'gatehouse-web', undefined, client.None(), {
        algorithm,
        execute: [client.allowInsecureRequests],
      });
      const metadata = config.serverMetadata();

      expect(metadata.issuer).toBe(`${system.url}/auth`);
      expect(metadata.jwks_uri).toBe(`${system.url}/auth/.well-known/jwks.json`);
      expect(metadata.token_endpoint).toBe(`${system.url}/auth/token`);
      expect(metadata.response_types_supported).toEqual(['none']);
    },
  );

  it('when another root-level well-known path is asked, then the gateway answers 404 itself', async () => {
    const res = await fetch(`${system.url}/.well-known/oauth-authorization-server/auth/metrics`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });
});
