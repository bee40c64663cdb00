/**
 * The whole system as separate processes from the built services, on free loopback ports:
 * dev-idp, auth-service (with its own temporary DATA_DIR), api-service and the gateway, wired
 * the way `npm start` wires them. For benchmarks and the soak, which need real processes
 * (their own heaps, RSS and file descriptors) rather than in-process apps.
 */
import { join } from 'node:path';
import { freePort, loopbackUrl } from './ports.mjs';
import { requireBuilt, waitUntilOk } from './processes.mjs';

const DEV_IDP_CLIENT = { id: 'gatehouse-dev', secret: 'gatehouse-dev-secret' };

/**
 * Starts the four services in `scope` and waits until the gateway's /readyz (which includes
 * both upstreams) answers 200. `authEnv` adds to the auth-service's environment.
 * Returns the URLs, each process and where its metrics are, and the auth-service env (the keys
 * CLI needs the same DATA_DIR and token settings).
 */
export async function startSystem(scope, root, { authEnv = {}, logLevel = 'warn' } = {}) {
  const mains = {
    devIdp: join(root, 'services/dev-idp/dist/main.js'),
    auth: join(root, 'services/auth-service/dist/main.js'),
    api: join(root, 'services/api-service/dist/main.js'),
    gateway: join(root, 'gateway/dist/main.js'),
  };
  for (const file of Object.values(mains)) requireBuilt(file);
  const [gatewayPort, metricsPort, authPort, apiPort, devIdpPort] = await Promise.all(
    Array.from({ length: 5 }, freePort),
  );
  const publicUrl = loopbackUrl(gatewayPort);
  const issuer = loopbackUrl(devIdpPort);
  const authUrl = loopbackUrl(authPort);
  const apiUrl = loopbackUrl(apiPort);
  const common = { NODE_ENV: 'development', LOG_LEVEL: logLevel, HOST: '127.0.0.1' };

  const devIdp = scope.node(mains.devIdp, [], {
    ...common,
    PORT: String(devIdpPort),
    DEV_IDP_ISSUER: issuer,
    DEV_IDP_CLIENT_ID: DEV_IDP_CLIENT.id,
    DEV_IDP_CLIENT_SECRET: DEV_IDP_CLIENT.secret,
    DEV_IDP_REDIRECT_URIS: `${publicUrl}/auth/connect/google/callback`,
  });
  await waitUntilOk(`${issuer}/healthz`, { child: devIdp });

  const auth = {
    ...common,
    PORT: String(authPort),
    PUBLIC_URL: publicUrl,
    DATA_DIR: scope.tempDir('gatehouse-soak-'),
    GOOGLE_ISSUER: issuer,
    GOOGLE_CLIENT_ID: DEV_IDP_CLIENT.id,
    GOOGLE_CLIENT_SECRET: DEV_IDP_CLIENT.secret,
    ALLOWED_DOMAINS: 'example.com',
    ...authEnv,
  };
  const authChild = scope.node(mains.auth, [], auth);
  const apiChild = scope.node(mains.api, [], {
    ...common,
    PORT: String(apiPort),
    JWKS_URL: `${authUrl}/auth/.well-known/jwks.json`,
    JWT_ISSUER: `${publicUrl}/auth`,
  });
  const gatewayChild = scope.node(mains.gateway, [], {
    ...common,
    PORT: String(gatewayPort),
    METRICS_PORT: String(metricsPort),
    PUBLIC_URL: publicUrl,
    AUTH_SERVICE_URL: authUrl,
    API_SERVICE_URL: apiUrl,
  });
  await Promise.all([
    waitUntilOk(`${authUrl}/readyz`, { child: authChild, timeoutMs: 20_000 }),
    waitUntilOk(`${apiUrl}/readyz`, { child: apiChild, timeoutMs: 20_000 }),
  ]);
  await waitUntilOk(`${publicUrl}/readyz`, { child: gatewayChild, timeoutMs: 20_000 });

  return {
    publicUrl,
    issuer,
    authEnv: auth,
    services: [
      { name: 'gateway', child: gatewayChild, metricsUrl: `${loopbackUrl(metricsPort)}/metrics` },
      { name: 'auth-service', child: authChild, metricsUrl: `${authUrl}/metrics` },
      { name: 'api-service', child: apiChild, metricsUrl: `${apiUrl}/metrics` },
      // The dev-idp exports no metrics; its figures come from /proc alone.
      { name: 'dev-idp', child: devIdp, metricsUrl: undefined },
    ],
  };
}
