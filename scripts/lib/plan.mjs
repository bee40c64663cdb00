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

/**
 * Every problem found before anything starts, each naming the variable the user set and the
 * fix; start.mjs prints them once (not once per service) instead of a stack trace.
 */
export class PlanError extends Error {
  name = 'PlanError';

  /** @param {string[]} problems */
  constructor(problems) {
    super(`npm start cannot start:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.problems = Object.freeze([...problems]);
  }
}

const NODE_ENVS = ['development', 'test', 'production'];
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** The gateway's metrics listener sits this far above its public port unless METRICS_PORT says. */
const METRICS_OFFSET = 1000;

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
 * @throws {PlanError} listing every problem the services would otherwise each report later:
 *   ports, PUBLIC_URL, NODE_ENV, production without a Google client
 */
export function planServices(env) {
  const devMode = isDevMode(env);
  const problems = [];
  const ports = readPorts(env, devMode, problems);
  const publicUrl = readPublicUrl(env, ports.gateway, problems);
  checkNodeEnv(env, devMode, problems);
  if (problems.length > 0) throw new PlanError(problems);
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
        METRICS_PORT: String(ports.metrics),
        ...(devMode ? { DEV_IDP_URL: devIdpIssuer } : {}),
        AUTH_SERVICE_URL: authUrl,
        API_SERVICE_URL: apiUrl,
      },
    },
  ];
  return {
    devMode,
    publicUrl,
    // The address the runner polls and prints: PUBLIC_URL's own host when that is this machine,
    // since the sign-in cookie belongs to that host (localhost and 127.0.0.1 do not share it).
    gatewayUrl: gatewayUrlOf(publicUrl, ports.gateway),
    devIdpIssuer: devMode ? devIdpIssuer : undefined,
    ports,
    services,
  };
}

/** The ports, each checked, and no two services on the same one. */
function readPorts(env, devMode, problems) {
  const read = (name, fallback) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const port = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65_535) {
      problems.push(`${name} must be a port number from 1 to 65535 (got ${JSON.stringify(raw)})`);
    }
    return port;
  };
  const gateway = read('GATEWAY_PORT', PORT_VARIABLES.GATEWAY_PORT);
  const ports = {
    gateway,
    auth: read('AUTH_PORT', PORT_VARIABLES.AUTH_PORT),
    api: read('API_PORT', PORT_VARIABLES.API_PORT),
    devIdp: read('DEV_IDP_PORT', PORT_VARIABLES.DEV_IDP_PORT),
    // Follows GATEWAY_PORT (8080 -> 9080), so a second checkout that moves the gateway moves
    // its metrics too; METRICS_PORT=0 turns metrics off.
    metrics:
      env.METRICS_PORT === '0'
        ? 0
        : read('METRICS_PORT', gateway + METRICS_OFFSET <= 65_535 ? gateway + METRICS_OFFSET : 0),
  };
  const seen = new Map();
  for (const [service, port] of Object.entries(ports)) {
    if ((service === 'devIdp' && !devMode) || port === 0) continue;
    const name = PORT_NAMES[service];
    if (seen.has(port))
      problems.push(`${seen.get(port)} and ${name} are both ${port}; give each its own port`);
    else seen.set(port, name);
  }
  return ports;
}

/** The variable that sets each planned port, as start.mjs and its messages name them. */
export const PORT_NAMES = Object.freeze({
  gateway: 'GATEWAY_PORT',
  auth: 'AUTH_PORT',
  api: 'API_PORT',
  devIdp: 'DEV_IDP_PORT',
  metrics: 'METRICS_PORT',
});

/**
 * PUBLIC_URL, or the gateway's own address. A local PUBLIC_URL must name the gateway's port:
 * a `.env` copied with `PUBLIC_URL=http://localhost:8080` next to `GATEWAY_PORT=28080` would
 * otherwise send the browser, the issuer and the redirect URI to someone else's port.
 */
function readPublicUrl(env, gatewayPort, problems) {
  const fallback = `http://localhost:${gatewayPort}`;
  const raw = env.PUBLIC_URL;
  if (raw === undefined || raw === '') return fallback;
  let url;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    const guess = /^[\w.-]+(:\d+)?$/.test(raw) ? `http://${raw}` : fallback;
    problems.push(
      `PUBLIC_URL must be an absolute http(s) origin (got ${JSON.stringify(raw)}); set PUBLIC_URL=${guess}, or leave it unset for ${fallback}`,
    );
    return fallback;
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    problems.push(
      `PUBLIC_URL must be an origin without a path or credentials (got ${JSON.stringify(raw)}); set PUBLIC_URL=${url.origin}`,
    );
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (LOOPBACK.has(url.hostname) && port !== gatewayPort) {
    problems.push(
      `PUBLIC_URL ${url.origin} is port ${port} but the gateway listens on GATEWAY_PORT=${gatewayPort}; ` +
        `set PUBLIC_URL=${url.protocol}//${url.hostname}:${gatewayPort}, or remove PUBLIC_URL`,
    );
  }
  return url.origin;
}

/** NODE_ENV once for all services; production needs a real Google client (no dev-idp there). */
function checkNodeEnv(env, devMode, problems) {
  const value = env.NODE_ENV;
  if (value !== undefined && value !== '' && !NODE_ENVS.includes(value)) {
    problems.push(
      `NODE_ENV must be one of ${NODE_ENVS.join(', ')} (got ${JSON.stringify(value)}); unset it for development`,
    );
  }
  if (value === 'production' && devMode) {
    problems.push(
      'NODE_ENV=production needs a real Google client, but GOOGLE_CLIENT_ID is ' +
        (env.GOOGLE_CLIENT_ID ? `the dev-idp's ${DEV_IDP.clientId}` : 'unset') +
        ' (the dev-idp refuses production): set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, or unset NODE_ENV',
    );
  }
}

function gatewayUrlOf(publicUrl, gatewayPort) {
  const { hostname } = new URL(publicUrl);
  return `http://${LOOPBACK.has(hostname) ? hostname : 'localhost'}:${gatewayPort}`;
}
