import { runService } from '@gatehouse/shared';
import { envSpec, loadConfig } from './config.js';
import { startServer } from './server.js';

await runService({
  service: 'gateway',
  loadConfig,
  variables: () => Object.keys(envSpec),
  start: async (config, logger) => {
    const server = await startServer(config, { logger });
    // SIGHUP reloads ROUTES_FILE, as the file watch does (an invalid file keeps the routes).
    process.on('SIGHUP', () => void server.reloadRoutes());
    logger.info(
      {
        port: server.public.port,
        metrics_port: server.metrics?.port,
        public_url: config.publicUrl,
        upstreams: config.upstreams,
        routes_file: config.routesFile,
      },
      // The public URL first: the sign-in cookie belongs to its host, not to the listen address.
      `gateway ready at ${config.publicUrl} (listening on ${config.host}:${server.public.port})`,
    );
    return server;
  },
});
