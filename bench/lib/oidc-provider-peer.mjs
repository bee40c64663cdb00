#!/usr/bin/env node
/**
 * The peer the token benchmarks compare against: node-oidc-provider (a certified OpenID
 * server on Koa), configured as Gatehouse is for a service client: client_credentials with
 * Basic authentication, ES256 JWT access tokens (RFC 9068, through its resourceIndicators
 * feature) for one resource server, and RFC 7662 introspection. It refuses to introspect JWT
 * access tokens, so `CLIENT_ID-opaque` (same secret) gets opaque ones to introspect.
 * `CLIENT_ID-cli` is a public client, as Gatehouse's CLI is: the device flow, and refresh
 * tokens that rotate on every use (Gatehouse rotates every time too). Refresh tokens need a
 * signed-in user and a consent this bench has no browser for, so `POST /bench/refresh-tokens?n=N`
 * (bench only, loopback) mints N, each with its own grant for one account, as an
 * authorization-code sign-in with offline_access would have left them.
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
    {
      client_id: `${clientId}-cli`,
      grant_types: ['refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
      scope: 'api:read api:write offline_access',
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
  // One account with nothing but its subject, as the tokens carry (quiets the default's warning).
  findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  scopes: ['api:read', 'api:write', 'offline_access'],
  ttl: { ClientCredentials: 300, AccessToken: 300, RefreshToken: 86_400, DeviceCode: 600 },
  rotateRefreshToken: true,
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    deviceFlow: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource, client) => ({
        scope: 'api:read api:write',
        audience: 'gatehouse-api',
        accessTokenTTL: 300,
        accessTokenFormat: client.clientId.endsWith('-opaque') ? 'opaque' : 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

/** Refresh tokens for `${clientId}-cli`, each on a grant of its own (one account). */
async function mintRefreshTokens(count) {
  const client = await provider.Client.find(`${clientId}-cli`);
  const tokens = [];
  for (let i = 0; i < count; i += 1) {
    const grant = new provider.Grant({ accountId: 'bench-user', clientId: client.clientId });
    grant.addOIDCScope('offline_access');
    grant.addResourceScope(RESOURCE, 'api:read');
    const grantId = await grant.save();
    const refresh = new provider.RefreshToken({
      accountId: 'bench-user',
      client,
      grantId,
      gty: 'authorization_code',
      scope: 'offline_access api:read',
      resource: RESOURCE,
    });
    tokens.push(await refresh.save());
  }
  return tokens;
}

provider.use(async (ctx, next) => {
  if (ctx.method !== 'POST' || ctx.path !== '/bench/refresh-tokens') return next();
  ctx.body = { refresh_tokens: await mintRefreshTokens(Number(ctx.query.n ?? 1)) };
});

provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
