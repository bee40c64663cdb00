import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { startSystem, type RunningSystem } from '../support/start-system.js';

/**
 * Service clients against the running system, through the gateway, driven by independent
 * implementations of the standards: oauth4webapi (RFC 6749 4.4, 7009, 7662, 8414) and
 * openid-client, each with client_secret_basic and client_secret_post.
 */
const insecure = { [oauth.allowInsecureRequests]: true };

let system: RunningSystem;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  system = await startSystem();
  const issuer = new URL(`${system.url}/auth`);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
  );
});
afterAll(async () => {
  await system.close();
});

/** `npm run clients -- add ID --scope ...`: the printed secret. */
async function addServiceClient(clientId: string, ...scopes: string[]): Promise<string> {
  const added = await system.clients('add', clientId, ...scopes.flatMap((s) => ['--scope', s]));
  expect(added.code).toBe(0);
  return /^client_secret (\S+)$/m.exec(added.out.join('\n'))![1]!;
}

const AUTH = {
  client_secret_basic: oauth.ClientSecretBasic,
  client_secret_post: oauth.ClientSecretPost,
} as const;

async function clientToken(clientId: string, auth: oauth.ClientAuth, scope?: string) {
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    { client_id: clientId },
    auth,
    scope === undefined ? {} : { scope },
    insecure,
  );
  return oauth.processClientCredentialsResponse(as, { client_id: clientId }, response);
}

async function introspect(clientId: string, auth: oauth.ClientAuth, token: string) {
  const response = await oauth.introspectionRequest(
    as,
    { client_id: clientId },
    auth,
    token,
    insecure,
  );
  return oauth.processIntrospectionResponse(as, { client_id: clientId }, response);
}

/**
 * A refusal oauth4webapi turns into WWWAuthenticateChallengeError (RFC 6749 5.2: Basic was
 * used, so a challenge came): 401 with the Basic challenge and `invalid_client` in the body.
 */
async function expectInvalidClientChallenge(attempt: Promise<unknown>): Promise<void> {
  const err = await attempt.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
  const challenge = err as oauth.WWWAuthenticateChallengeError;
  expect(challenge.status).toBe(401);
  expect(challenge.cause).toEqual([
    expect.objectContaining({
      scheme: 'basic',
      parameters: expect.objectContaining({ realm: 'gatehouse' }),
    }),
  ]);
  expect((await challenge.response.json()).error).toBe('invalid_client');
}

const callApi = (token: string, path = '/api/caller') =>
  fetch(`${system.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('service clients with oauth4webapi', () => {
  it('when discovery is read, then it lists the endpoints, the grant and the auth methods oauth4webapi uses', () => {
    expect(as.introspection_endpoint).toBe(`${system.url}/auth/introspect`);
    expect(as.revocation_endpoint).toBe(`${system.url}/auth/revoke`);
    expect(as.grant_types_supported).toContain('client_credentials');
    for (const member of [
      'token_endpoint_auth_methods_supported',
      'revocation_endpoint_auth_methods_supported',
      'introspection_endpoint_auth_methods_supported',
    ] as const) {
      expect(as[member]).toEqual(
        expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
      );
    }
  });

  it.each(Object.keys(AUTH) as (keyof typeof AUTH)[])(
    'when a service client with api:read uses %s, then its token gets 200 at /api/caller, introspects active, and is refused once revoked',
    async (method) => {
      const clientId = `billing-${method}`;
      const auth = AUTH[method](await addServiceClient(clientId, 'api:read'));
      const tokens = await clientToken(clientId, auth);
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: 'api:read' });
      expect(tokens.refresh_token).toBeUndefined();

      const called = await callApi(tokens.access_token);
      expect(called.status).toBe(200);
      expect(await called.json()).toEqual({
        sub: clientId,
        client_id: clientId,
        scopes: ['api:read'],
      });
      const me = await callApi(tokens.access_token, '/api/me');
      expect(await me.json()).toEqual({ sub: clientId, email: null, name: null, roles: [] });

      const active = await introspect(clientId, auth, tokens.access_token);
      expect(active).toMatchObject({
        active: true,
        client_id: clientId,
        sub: clientId,
        scope: 'api:read',
        token_type: 'Bearer',
        iss: as.issuer,
        aud: 'gatehouse-api',
      });

      const revoked = await oauth.revocationRequest(
        as,
        { client_id: clientId },
        auth,
        tokens.access_token,
        insecure,
      );
      await expect(oauth.processRevocationResponse(revoked)).resolves.toBeUndefined();
      expect(await introspect(clientId, auth, tokens.access_token)).toEqual({ active: false });
    },
  );

  it('when oauth4webapi validates a client credentials token as RFC 9068 says, then sub and client_id are the client', async () => {
    const auth = oauth.ClientSecretBasic(await addServiceClient('validated', 'api:read'));
    const { access_token } = await clientToken('validated', auth);
    const request = new Request('https://rs.example/', {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const claims = await oauth.validateJwtAccessToken(as, request, 'gatehouse-api', insecure);
    expect(claims).toMatchObject({ sub: 'validated', client_id: 'validated', scope: 'api:read' });
    expect(claims).not.toHaveProperty('email');
  });

  it('when a service client has another scope, then /api/caller is 403 insufficient_scope', async () => {
    const auth = oauth.ClientSecretBasic(await addServiceClient('reports', 'api:write'));
    const { access_token } = await clientToken('reports', auth);
    const res = await callApi(access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await res.json()).error).toBe('insufficient_scope');
  });

  it('when a scope beyond the registration is asked for, then oauth4webapi reports invalid_scope', async () => {
    const auth = oauth.ClientSecretPost(await addServiceClient('narrow', 'api:read'));
    await expect(clientToken('narrow', auth, 'api:read api:write')).rejects.toMatchObject({
      error: 'invalid_scope',
      status: 400,
    });
  });

  it('when the secret is rotated with no overlap, then the new one works and the old one is invalid_client', async () => {
    const old = await addServiceClient('rotating', 'api:read');
    const rotated = await system.clients('rotate-secret', 'rotating', '--overlap', '0');
    expect(rotated.code).toBe(0);
    const fresh = /^client_secret (\S+)$/m.exec(rotated.out.join('\n'))![1]!;
    await expect(clientToken('rotating', oauth.ClientSecretBasic(fresh))).resolves.toMatchObject({
      scope: 'api:read',
    });
    await expectInvalidClientChallenge(clientToken('rotating', oauth.ClientSecretBasic(old)));
    await expect(clientToken('rotating', oauth.ClientSecretPost(old))).rejects.toMatchObject({
      error: 'invalid_client',
      status: 401,
    });
  });

  it('when the client is removed, then it gets no new token and its last one introspects inactive', async () => {
    const secret = await addServiceClient('leaving', 'api:read');
    const { access_token } = await clientToken('leaving', oauth.ClientSecretBasic(secret));
    const inspector = oauth.ClientSecretBasic(await addServiceClient('inspector', 'api:read'));
    expect((await introspect('inspector', inspector, access_token)).active).toBe(true);
    expect((await system.clients('remove', 'leaving')).code).toBe(0);
    expect(await introspect('inspector', inspector, access_token)).toEqual({ active: false });
    await expectInvalidClientChallenge(clientToken('leaving', oauth.ClientSecretBasic(secret)));
  });
});

describe('service clients with openid-client', () => {
  it.each([
    ['client_secret_basic', client.ClientSecretBasic],
    ['client_secret_post', client.ClientSecretPost],
  ] as const)(
    'when openid-client uses %s, then clientCredentialsGrant, tokenIntrospection and tokenRevocation work',
    async (method, auth) => {
      const clientId = `openid-${method}`;
      const secret = await addServiceClient(clientId, 'api:read');
      const config = new client.Configuration(
        as as client.ServerMetadata,
        clientId,
        undefined,
        auth(secret),
      );
      client.allowInsecureRequests(config);
      const tokens = await client.clientCredentialsGrant(config, { scope: 'api:read' });
      expect(tokens.scope).toBe('api:read');
      expect((await callApi(tokens.access_token)).status).toBe(200);
      expect(await client.tokenIntrospection(config, tokens.access_token)).toMatchObject({
        active: true,
        client_id: clientId,
      });
      await client.tokenRevocation(config, tokens.access_token);
      expect(await client.tokenIntrospection(config, tokens.access_token)).toEqual({
        active: false,
      });
    },
  );
});

describe('failed client authentication through the gateway', () => {
  let limited: RunningSystem;
  let limitedAs: oauth.AuthorizationServer;
  beforeAll(async () => {
    limited = await startSystem();
    const issuer = new URL(`${limited.url}/auth`);
    limitedAs = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
  });
  afterAll(async () => {
    await limited.close();
  });

  it('when wrong secrets keep coming from one address, then 401 invalid_client with a Basic challenge ten times, then 429 even for the right secret', async () => {
    const added = await limited.clients('add', 'target', '--scope', 'api:read');
    const secret = /^client_secret (\S+)$/m.exec(added.out.join('\n'))![1]!;
    const attempt = (password: string) =>
      oauth.clientCredentialsGrantRequest(
        limitedAs,
        { client_id: 'target' },
        oauth.ClientSecretBasic(password),
        {},
        insecure,
      );
    for (let i = 0; i < 10; i++) {
      const res = await attempt(`wrong-${i}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="gatehouse"/);
      expect((await res.json()).error).toBe('invalid_client');
    }
    const refused = await attempt(secret);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).error).toBe('rate_limited');
  });
});
