import { ConfigError, serve, type RunningServer } from '@gatehouse/shared';
import { createApp, type GatewayDeps } from './app.js';
import type { Config } from './config.js';
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
  const gateway = createApp(config, { ...deps, routes });
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
