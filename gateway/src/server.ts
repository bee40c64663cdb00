import { ConfigError, serve, type RunningServer } from '@gatehouse/shared';
import { createApp, type GatewayDeps } from './app.js';
import type { Config } from './config.js';
import { loadAssertionKeys } from './assertion/assertion-keys.js';
import { loadRoutesFile } from './route-table/load-routes-file.js';
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
  /** Drains in-flight requests (up to SHUTDOWN_TIMEOUT_MS), then closes upstream connections. */
  close(): Promise<void>;
}

/**
 * Starts the public listener and, unless METRICS_PORT is 0, the internal metrics one. With
 * ROUTES_FILE, the file is loaded first; an invalid one fails start-up with every problem.
 */
export async function startServer(config: Config, deps: GatewayDeps): Promise<GatewayServer> {
  let routes = deps.routes;
  if (routes === undefined && config.routesFile !== undefined) {
    const loaded = await loadRoutesFile(config.routesFile, deps.env ?? process.env);
    if (!loaded.ok) {
      throw new ConfigError(
        'gateway',
        loaded.problems.map((p) => `ROUTES_FILE ${p}`),
      );
    }
    routes = loaded.routes;
  }
  const assertionKeys = deps.assertionKeys ?? loadKeys(config.assertionKeysFile);
  if (assertionKeys.generated && routes?.some((route) => route.auth === 'token')) {
    if (config.production) {
      throw new ConfigError('gateway', [
        'ASSERTION_KEYS_FILE is required when NODE_ENV=production and a route has auth: token (every gateway replica must sign with the same keys); see docs/routes.md',
      ]);
    }
    deps.logger.warn(
      'X-Gatehouse-Assertion is signed with a key generated at start-up: fine for one gateway; set ASSERTION_KEYS_FILE for several (docs/routes.md)',
    );
  }
  const gateway = createApp(config, { ...deps, routes, assertionKeys });
  const running = await serve(gateway.handler, {
    port: config.port,
    host: config.host,
    maxHeaderSize: MAX_HEADER_SIZE,
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
  return {
    public: running,
    metrics,
    async close() {
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
