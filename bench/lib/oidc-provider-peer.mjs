#!/usr/bin/env node
/**
 * The peer the token benchmarks compare against: node-oidc-provider (a certified OpenID
 * server on Koa), configured as Gatehouse is for a service client: client_credentials with
 * Basic authentication, ES256 JWT access tokens (RFC 9068, through its resourceIndicators
 * feature) for one resource server, and RFC 7662 introspection. It refuses to introspect JWT
 * access tokens, so `CLIENT_ID-opaque` (same secret) gets opaque ones to introspect.
 * In-memory adapter, loopback.
 * Run: `node bench/lib/oidc-provider-peer.mjs PORT CLIENT_ID CLIENT_SECRET`; prints `ready`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [port, clientId, clientSecret] = process.argv.slice(2);
// oidc-provider is the dev-idp's dependency; resolve it from there.
const devIdp = join(dirname(fileURLToPath(import.meta.url)), '../../services/dev-idp/package.json');
const { default: Provider } = await import(
  pathToFileURL(createRequire(devIdp).resolve('oidc-provider')).href
);

const RESOURCE = 'https://api.bench.invalid';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = {
  ...privateKey.export({ format: 'jwk' }),
  kid: 'bench-es256',
  alg: 'ES256',
  use: 'sig',
};

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      introspection_endpoint_auth_method: 'client_secret_basic',
      scope: 'api:read api:write',
    },
    // Its tokens are opaque: oidc-provider does not introspect JWT access tokens.
    {
      client_id: `${clientId}-opaque`,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
      scope: 'api:read api:write',
    },
  ],
  jwks: { keys: [jwk] },
  scopes: ['api:read', 'api:write'],
  ttl: { ClientCredentials: 300 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource, client) => ({
        scope: 'api:read api:write',
        audience: 'gatehouse-api',
        accessTokenTTL: 300,
        accessTokenFormat: client.clientId === clientId ? 'jwt' : 'opaque',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
