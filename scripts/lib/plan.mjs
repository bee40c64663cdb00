/**
 * What `npm start` runs and the environment each process gets. Pure (no I/O), so
 * test/start-plan.test.ts checks it without starting anything.
 *
 * Ports: the gateway's is GATEWAY_PORT (default 8080, as in docker-compose.yml); the internal
 * ones default to the contract's (auth 4001, api 4002, dev-idp 4003) and can be moved with
 * AUTH_PORT, API_PORT and DEV_IDP_PORT (a port already taken, or a test on free ports). These
 * four are the runner's own variables: each service gets its port as PORT, and every address
 * one service uses to reach another is set here from them, never left to a service default.
 * An inherited PORT is dropped so one `.env` line cannot put every service on the same port.
 */

/** The dev-idp's built-in client (services/dev-idp defaults). */
export const DEV_IDP = Object.freeze({
  port: 4003,
  issuer: 'http://localhost:4003',
  clientId: 'gatehouse-dev',
  clientSecret: 'gatehouse-dev-secret',
  allowedDomain: 'example.com',
});

/** The runner's port variables and their defaults; not passed on to the services. */
export const PORT_VARIABLES = Object.freeze({
  GATEWAY_PORT: 8080,
  AUTH_PORT: 4001,
  API_PORT: 4002,
  DEV_IDP_PORT: DEV_IDP.port,
});

/** A wrong runner variable; start.mjs prints the message instead of a stack trace. */
export class PlanError extends Error {
  name = 'PlanError';
}

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
 * @throws {PlanError} when a port variable is not a port, or two services would share one
 */
export function planServices(env) {
  const devMode = isDevMode(env);
  const ports = readPorts(env, devMode);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${ports.gateway}`).replace(/\/$/, '');
  // What one service calls another by; the dev-idp's is also the issuer the browser sees.
  const authUrl = `http://localhost:${ports.auth}`;
  const apiUrl = `http://localhost:${ports.api}`;
  const devIdpIssuer = `http://localhost:${ports.devIdp}`;

  // Every service listens on loopback unless HOST says otherwise: on a developer's machine the
  // services trust the gateway's forwarded headers, so only the gateway may reach them.
  const common = { ...env, PUBLIC_URL: publicUrl, HOST: env.HOST || '127.0.0.1' };
  delete common.PORT;
  for (const name of Object.keys(PORT_VARIABLES)) delete common[name];

  // DATA_DIR defaults to ./data under the repository root (the working directory of every
  // child), where `npm run users` and `npm run keys` find the same database.
  const auth = { ...common, PORT: String(ports.auth), DATA_DIR: env.DATA_DIR || './data' };
  if (devMode) {
    Object.assign(auth, {
      GOOGLE_ISSUER: devIdpIssuer,
      GOOGLE_CLIENT_ID: DEV_IDP.clientId,
      GOOGLE_CLIENT_SECRET: DEV_IDP.clientSecret,
    });
    // A compose `.env` names the dev-idp container here; npm start reaches it at its issuer.
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
              PORT: String(ports.devIdp),
              DEV_IDP_ISSUER: devIdpIssuer,
              DEV_IDP_CLIENT_ID: DEV_IDP.clientId,
              DEV_IDP_CLIENT_SECRET: DEV_IDP.clientSecret,
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
      env: {
        ...common,
        PORT: String(ports.api),
        JWKS_URL: `${authUrl}/auth/.well-known/jwks.json`,
        JWT_ISSUER: env.JWT_ISSUER || `${publicUrl}/auth`,
      },
    },
    {
      label: 'gateway',
      dir: 'gateway',
      color: 'cyan',
      env: {
        ...common,
        PORT: String(ports.gateway),
        AUTH_SERVICE_URL: authUrl,
        API_SERVICE_URL: apiUrl,
      },
    },
  ];
  return {
    devMode,
    publicUrl,
    gatewayUrl: `http://localhost:${ports.gateway}`,
    devIdpIssuer: devMode ? devIdpIssuer : undefined,
    ports,
    services,
  };
}

/** The four ports, each checked, and no two services on the same one. */
function readPorts(env, devMode) {
  const problems = [];
  const read = (name) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return PORT_VARIABLES[name];
    const port = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65_535) {
      problems.push(`${name} must be a port number from 1 to 65535 (got ${JSON.stringify(raw)})`);
    }
    return port;
  };
  const ports = {
    gateway: read('GATEWAY_PORT'),
    auth: read('AUTH_PORT'),
    api: read('API_PORT'),
    devIdp: read('DEV_IDP_PORT'),
  };
  const names = {
    gateway: 'GATEWAY_PORT',
    auth: 'AUTH_PORT',
    api: 'API_PORT',
    devIdp: 'DEV_IDP_PORT',
  };
  const seen = new Map();
  for (const [service, port] of Object.entries(ports)) {
    if (service === 'devIdp' && !devMode) continue;
    if (seen.has(port)) problems.push(`${seen.get(port)} and ${names[service]} are both ${port}`);
    else seen.set(port, names[service]);
  }
  if (problems.length > 0) throw new PlanError(`npm start: ${problems.join('; ')}`);
  return ports;
}
