import { runService } from '@gatehouse/shared';
import { loadConfig } from './config.js';
import { start } from './server.js';

await runService({
  service: 'dev-idp',
  loadConfig,
  start: async (config, logger) => {
    const running = await start(config, { logger });
    logger.info({ port: running.port }, 'listening');
    return running;
  },
});
