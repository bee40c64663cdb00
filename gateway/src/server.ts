import { serve, type RunningServer } from '@gatehouse/shared';
import { createApp, type GatewayDeps } from './app.js';
import type { Config } from './config.js';
import { isTrusted, trustedProxyList } from './proxy/client-address.js';
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

/** Starts the public listener and, unless METRICS_PORT is 0, the internal metrics one. */
export async function startServer(config: Config, deps: GatewayDeps): Promise<GatewayServer> {
  const gateway = createApp(config, deps);
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
