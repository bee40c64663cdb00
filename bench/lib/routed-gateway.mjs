/**
 * A gateway with ROUTES_FILE as deployed, for the benches that put routes in front of the tiny
 * upstream (routes, forward-auth): a JWKS served from this process with one long-lived access
 * token signed by its key, the routes file and an assertion key in a temporary directory.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { toLowS } from '../../shared/dist/index.js';
import { freePort, loopbackUrl } from './ports.mjs';
import { startGatewayProcess } from './start.mjs';

/** The public origin the benched gateway runs as; the token's `iss` is under it. */
export const BENCH_PUBLIC_URL = 'https://bench.example';

/** A JWKS endpoint in this process and one long-lived access token signed with its key. */
export async function startIssuer(scope) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'bench';
  const jwks = JSON.stringify({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }],
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  scope.defer(() => new Promise((resolve) => server.close(resolve)));
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'ES256', kid, typ: 'at+jwt' })}.${b64({
    iss: `${BENCH_PUBLIC_URL}/auth`,
    aud: 'gatehouse-api',
    sub: 'bench-user',
    email: 'bench@example.com',
    roles: ['user'],
    scope: 'openid user',
    client_id: 'gatehouse-web',
    jti: randomUUID(),
    iat: now,
    exp: now + 3600,
  })}`;
  // The low-S form, as the issuer hands ES256 signatures out (verifiers refuse high-S).
  const signature = toLowS(
    'ES256',
    sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }),
  );
  return {
    jwksUrl: `${loopbackUrl(port)}/jwks.json`,
    token: `${input}.${Buffer.from(signature).toString('base64url')}`,
  };
}

/**
 * The built gateway (production, access log on) with `routes` as its ROUTES_FILE, a fresh
 * assertion key, and `issuer`'s JWKS for token routes; `env` adds or overrides variables.
 * Returns what `startGatewayProcess` does.
 */
export async function startRoutedGateway(scope, { routes, issuer, upstream, env = {} }) {
  const dir = scope.tempDir('gatehouse-routed-bench-');
  const routesFile = join(dir, 'routes.yaml');
  writeFileSync(routesFile, routes);
  const keysFile = join(dir, 'assertion-keys.json');
  const assertionKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  writeFileSync(keysFile, JSON.stringify({ keys: [assertionKey.export({ format: 'jwk' })] }));
  return startGatewayProcess(scope, {
    LOG_LEVEL: 'info',
    PUBLIC_URL: BENCH_PUBLIC_URL,
    AUTH_SERVICE_URL: upstream,
    ROUTES_FILE: routesFile,
    ASSERTION_KEYS_FILE: keysFile,
    JWKS_URL: issuer.jwksUrl,
    // The feed is a Map lookup per request; its poll is not what this measures.
    REVOCATION_CHECK: 'off',
    ...env,
  });
}
