import { runService } from '@gatehouse/shared';
import { loadConfig } from './config.js';
import { startServer } from './server.js';

await runService({
  service: 'gateway',
  loadConfig,
  start: async (config, logger) => {
    const server = await startServer(config, { logger });
    logger.info(
      {
        port: server.public.port,
        metrics_port: server.metrics?.port,
        public_url: config.publicUrl,
        upstreams: config.upstreams,
      },
      `gateway listening on ${server.public.url}, public URL ${config.publicUrl}`,
    );
    return server;
  },
});
