import {
  createHttpMetrics,
  createLogger,
  createTokenVerifier,
  serve,
  type Logger,
  type RunningServer,
} from '@gatehouse/shared';
import { createApp } from './app.js';
import type { Config } from './config.js';

export interface StartDeps {
  logger?: Logger;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/**
 * Builds the verifier and the app, listens on `config.port`, and starts fetching the JWKS at
 * once so the first request does not pay for it (a failure is logged and retried on demand).
 */
export async function startServer(config: Config, deps: StartDeps = {}): Promise<RunningServer> {
  const logger = deps.logger ?? createLogger({ service: config.service, level: config.logLevel });
  const verifier = createTokenVerifier({
    ...config.verifier,
    logger,
    fetch: deps.fetch,
    now: deps.now,
  });
  const app = createApp(config, {
    logger,
    verifier,
    metrics: createHttpMetrics(config.service),
    now: deps.now,
  });
  const running = await serve(app.callback(), {
    port: config.port,
    host: config.host,
    limits: config.limits,
  });
  logger.info(
    {
      port: running.port,
      jwks_url: config.verifier.jwksUrl,
      revocations_url: config.verifier.revocationsUrl || 'off',
      issuer: config.verifier.issuer,
    },
    'api-service listening',
  );
  verifier.ready().catch(() => {});
  return {
    ...running,
    close: async (deadlineMs) => {
      verifier.close();
      await running.close(deadlineMs);
    },
  };
}
