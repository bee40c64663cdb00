import { runService } from '@gatehouse/shared';
import { envSpec, loadConfig } from './config.js';
import { startServer } from './server.js';

await runService({
  service: 'dev-idp',
  loadConfig,
  variables: () => Object.keys(envSpec),
  start: async (config, logger) => {
    const running = await startServer(config, { logger });
    logger.info({ port: running.port }, 'listening');
    return { close: () => running.close(config.shutdownTimeoutMs) };
  },
});
