import { DEFAULT_SERVER_LIMITS } from './server-limits.js';
import { envVar, type EnvValues } from './env-var.js';
import type { ReportProblem } from './load-config.js';
import { flag, host, integer, logLevel, nodeEnv, port } from './env-schemas.js';

/**
 * The variables every Gatehouse service reads about its own process, described once so they
 * mean the same everywhere. Spread into a service's envSpec.
 *
 * @example
 * export const envSpec = { ...processEnv({ port: 4002 }), ...trustProxyEnv(), JWKS_URL: ... };
 */
export function processEnv(options: { port: number; portDescription?: string }) {
  return {
    NODE_ENV: envVar('`production` refuses development conveniences', nodeEnv()),
    LOG_LEVEL: envVar('pino log level', logLevel()),
    PORT: envVar(options.portDescription ?? 'listen port', port().default(options.port)),
    HOST: envVar(
      'listen address: 0.0.0.0 for every interface (containers), 127.0.0.1 for this machine only',
      host().default('0.0.0.0'),
    ),
    SHUTDOWN_TIMEOUT_MS: envVar(
      'how long a graceful shutdown waits for in-flight requests',
      // Timers overflow above 2^31-1 ms and would fire at once; ten minutes is plenty.
      integer(0).max(600_000).default(10_000),
      { unit: 'ms' },
    ),
    HEADERS_TIMEOUT_MS: envVar(
      'a connection that has not sent a whole request head by then is answered 408 and closed (slow or idle clients)',
      integer(1_000).max(600_000).default(DEFAULT_SERVER_LIMITS.headersTimeoutMs),
      { unit: 'ms' },
    ),
    REQUEST_TIMEOUT_MS: envVar(
      'the whole request, head and body, must have arrived by then (at least HEADERS_TIMEOUT_MS)',
      integer(1_000).max(600_000).default(DEFAULT_SERVER_LIMITS.requestTimeoutMs),
      { unit: 'ms' },
    ),
    MAX_CONNECTIONS: envVar(
      'connections held at once (keep it below the open-file limit); at the cap a newcomer replaces the oldest connection that has sent no request yet; 0: no cap',
      integer(0).max(1_000_000).default(DEFAULT_SERVER_LIMITS.maxConnections),
    ),
  };
}

/**
 * The typed part of a service's Config that `processEnv` feeds: spread it into the object a
 * `loadConfig` build step returns, so every service names these fields the same way.
 *
 * @example
 * loadConfig('api-service', envSpec, env, (v, problem) => ({ ...processConfig(v, problem), jwksUrl: v.JWKS_URL }));
 */
export function processConfig(
  values: EnvValues<ReturnType<typeof processEnv>>,
  problem: ReportProblem,
) {
  if (values.REQUEST_TIMEOUT_MS < values.HEADERS_TIMEOUT_MS) {
    problem(
      'REQUEST_TIMEOUT_MS must be at least HEADERS_TIMEOUT_MS (the head is part of the request)',
    );
  }
  return {
    nodeEnv: values.NODE_ENV,
    production: values.NODE_ENV === 'production',
    logLevel: values.LOG_LEVEL,
    port: values.PORT,
    host: values.HOST,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    /** For `serve`; the gateway adds its per-address cap. */
    limits: {
      ...DEFAULT_SERVER_LIMITS,
      headersTimeoutMs: values.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
      maxConnections: values.MAX_CONNECTIONS,
    },
  };
}

/**
 * TRUST_PROXY for a service behind the gateway: it then reads the client address and scheme
 * from the gateway's X-Forwarded-* headers (one hop only).
 *
 * @example
 * const app = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 });
 */
export function trustProxyEnv(options: { default?: boolean; description?: string } = {}) {
  return {
    TRUST_PROXY: envVar(
      options.description ??
        'trust X-Forwarded-* headers (only the gateway can reach the service); false when exposed directly',
      flag().default(options.default ?? true),
    ),
  };
}
