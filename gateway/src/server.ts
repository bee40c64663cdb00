import { ConfigError, serve, type RunningServer } from '@gatehouse/shared';
import { createApp, type GatewayDeps } from './app.js';
import type { Config } from './config.js';
import { isTrusted, trustedProxyList } from './proxy/client-address.js';
import { loadAssertionKeys } from './assertion/assertion-keys.js';
import { loadRoutesFile } from './route-table/load-routes-file.js';
import { watchRoutesFile } from './route-table/watch-routes-file.js';
import { metricsHandler } from './routes/metrics-handler.js';

/**
 * Request heads above this are answered 431 by Node. Below the services' 16 KiB so that what
 * the gateway forwards (the client's head plus its own few hundred bytes of forwarding
 * headers) always fits what they accept.
 */
export const MAX_HEADER_SIZE = 12 * 1024;

export interface GatewayServer {
  readonly public: RunningServer;
  /** The internal metrics listener; undefined when METRICS_PORT is 0. */
  readonly metrics: RunningServer | undefined;
  /**
   * Reads ROUTES_FILE again: a valid, changed file is put in force without dropping requests
   * in flight; an invalid one keeps the routes running and its problems are logged once.
   */
  reloadRoutes(): Promise<'applied' | 'unchanged' | 'invalid' | 'no-file'>;
  /** Drains in-flight requests (up to SHUTDOWN_TIMEOUT_MS), then closes upstream connections. */
  close(): Promise<void>;
}

/**
 * Starts the public listener and, unless METRICS_PORT is 0, the internal metrics one. With
 * ROUTES_FILE, the file is loaded first; an invalid one fails start-up with every problem.
 */
export async function startServer(config: Config, deps: GatewayDeps): Promise<GatewayServer> {
  const { logger } = deps;
  const env = deps.env ?? process.env;
  let routes = deps.routes;
  let inForce = '';
  if (routes === undefined && config.routesFile !== undefined) {
    const loaded = await loadRoutesFile(config.routesFile, env);
    if (!loaded.ok) {
      throw new ConfigError(
        'gateway',
        loaded.problems.map((p) => `ROUTES_FILE ${p}`),
      );
    }
    routes = loaded.routes;
    inForce = JSON.stringify(routes);
  }
  const assertionKeys = deps.assertionKeys ?? loadKeys(config.assertionKeysFile);
  if (assertionKeys.generated && routes?.some((route) => route.auth === 'token')) {
    if (config.production) {
      throw new ConfigError('gateway', [
        'ASSERTION_KEYS_FILE is required when NODE_ENV=production and a route has auth: token (every gateway replica must sign with the same keys); see docs/routes.md',
      ]);
    }
    logger.warn(
      'X-Gatehouse-Assertion is signed with a key generated at start-up: fine for one gateway; set ASSERTION_KEYS_FILE for several (docs/routes.md)',
    );
  }
  const gateway = createApp(config, { ...deps, routes, assertionKeys });
  const trusted = trustedProxyList(config.trustedProxies);
  const running = await serve(gateway.handler, {
    port: config.port,
    host: config.host,
    maxHeaderSize: MAX_HEADER_SIZE,
    limits: {
      ...config.limits,
      // A trusted proxy's one address carries all of its clients: cap it only with the total.
      isExemptAddress: trusted ? (address) => isTrusted(address, trusted) : undefined,
    },
    upgrade: gateway.upgrade,
  });
  let metrics: RunningServer | undefined;
  try {
    metrics = gateway.metrics
      ? await serve(metricsHandler(gateway.metrics), {
          port: config.metricsPort,
          host: config.host,
          portVariable: 'METRICS_PORT',
        })
      : undefined;
  } catch (err) {
    await running.close(0);
    gateway.close();
    throw err;
  }
  let reported = '';
  const reloadRoutes = async () => {
    if (config.routesFile === undefined) return 'no-file' as const;
    const loaded = await loadRoutesFile(config.routesFile, env);
    if (!loaded.ok) {
      const problems = loaded.problems.join('\n');
      if (problems !== reported) {
        reported = problems;
        logger.error(
          { routes_file: config.routesFile, problems: loaded.problems },
          `ROUTES_FILE invalid, the running routes are kept:\n  ${loaded.problems.join('\n  ')}`,
        );
      }
      return 'invalid' as const;
    }
    reported = '';
    const next = JSON.stringify(loaded.routes);
    if (next === inForce) return 'unchanged' as const;
    inForce = next;
    gateway.applyRoutes(loaded.routes);
    logger.info(
      { routes_file: config.routesFile, routes: loaded.routes.map((r) => r.name) },
      'routes reloaded',
    );
    return 'applied' as const;
  };
  const stopWatching =
    config.routesFile !== undefined && deps.routes === undefined
      ? watchRoutesFile(config.routesFile, () => void reloadRoutes(), logger)
      : () => {};
  return {
    public: running,
    metrics,
    reloadRoutes,
    async close() {
      stopWatching();
      gateway.closeWebSockets();
      await Promise.all([running.close(config.shutdownTimeoutMs), metrics?.close(1_000)]);
      gateway.close();
    },
  };
}

function loadKeys(file: string | undefined) {
  try {
    return loadAssertionKeys(file);
  } catch (err) {
    throw new ConfigError('gateway', [(err as Error).message]);
  }
}
