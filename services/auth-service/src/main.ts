import { runService } from '@gatehouse/shared';
import { loadConfig } from './config.js';
import { startServer } from './server.js';

// Start-up can find problems configuration alone cannot (no signing key in production):
// startServer throws a ConfigError for those, which runService prints before exiting 1.
await runService({
  service: 'auth-service',
  loadConfig,
  start: async (config, logger) => {
    const running = await startServer(config, { logger });
    return { close: () => running.close(config.shutdownTimeoutMs) };
  },
});
