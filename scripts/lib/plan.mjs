/**
 * What `npm start` runs and the environment each process gets. Pure (no I/O), so
 * test/start-plan.test.ts checks it without starting anything.
 *
 * Ports are the contract's fixed defaults (auth 4001, api 4002, dev-idp 4003); only the
 * gateway's is configurable (GATEWAY_PORT, as in docker-compose.yml). An inherited PORT is
 * dropped so one `.env` line cannot put every service on the same port.
 */

/** The dev-idp's built-in client (services/dev-idp defaults). */
export const DEV_IDP = Object.freeze({
  port: 4003,
  issuer: 'http://localhost:4003',
  clientId: 'gatehouse-dev',
  clientSecret: 'gatehouse-dev-secret',
  allowedDomain: 'example.com',
});

/**
 * Dev mode when no Google client is configured. A `.env` copied from `.env.example` names the
 * dev-idp's own client id; that counts as dev mode too, so `npm start` and
 * `docker compose --profile dev up` can share one `.env`.
 */
export function isDevMode(env) {
  return !env.GOOGLE_CLIENT_ID || env.GOOGLE_CLIENT_ID === DEV_IDP.clientId;
}

/**
 * @param {Record<string, string | undefined>} env the environment after `.env` is loaded
 */
export function planServices(env) {
  const devMode = isDevMode(env);
  const gatewayPort = Number(env.GATEWAY_PORT || 8080);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${gatewayPort}`).replace(/\/$/, '');
  // Every service listens on loopback unless HOST says otherwise: on a developer's machine the
  // services trust the gateway's forwarded headers, so only the gateway may reach them.
  const common = { ...env, PUBLIC_URL: publicUrl, HOST: env.HOST || '127.0.0.1' };
  delete common.PORT;

  // DATA_DIR is left to the service's default (relative to the repository root, the working
  // directory of every child), so `npm run users` and `npm run keys` find the same database.
  const auth = { ...common, PORT: '4001' };
  if (devMode) {
    Object.assign(auth, {
      GOOGLE_ISSUER: DEV_IDP.issuer,
      GOOGLE_CLIENT_ID: DEV_IDP.clientId,
      GOOGLE_CLIENT_SECRET: DEV_IDP.clientSecret,
    });
    delete auth.GOOGLE_BACKCHANNEL_URL;
    if (!env.ALLOWED_EMAILS && !env.ALLOWED_DOMAINS) auth.ALLOWED_DOMAINS = DEV_IDP.allowedDomain;
  }

  const services = [
    ...(devMode
      ? [
          {
            label: 'dev-idp',
            dir: 'services/dev-idp',
            color: 'magenta',
            env: {
              ...common,
              PORT: String(DEV_IDP.port),
              DEV_IDP_REDIRECT_URIS:
                env.DEV_IDP_REDIRECT_URIS || `${publicUrl}/auth/connect/google/callback`,
            },
          },
        ]
      : []),
    { label: 'auth', dir: 'services/auth-service', color: 'green', env: auth },
    {
      label: 'api',
      dir: 'services/api-service',
      color: 'blue',
      env: { ...common, PORT: '4002', JWT_ISSUER: env.JWT_ISSUER || `${publicUrl}/auth` },
    },
    {
      label: 'gateway',
      dir: 'gateway',
      color: 'cyan',
      env: { ...common, PORT: String(gatewayPort) },
    },
  ];
  return { devMode, publicUrl, gatewayUrl: `http://localhost:${gatewayPort}`, services };
}
