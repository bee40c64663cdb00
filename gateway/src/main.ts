import { ConfigError, createLogger, onShutdownSignal } from '@gatehouse/shared';
import { loadConfig, type Config } from './config.js';
import { batchedDestination } from './log-destination.js';
import { startServer } from './server.js';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

// One write per event-loop turn instead of one per access-log line; flushed on exit.
const destination = batchedDestination(process.stdout);
process.once('exit', () => destination.flush());
const logger = createLogger({ service: 'gateway', level: config.logLevel, destination });
try {
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
  onShutdownSignal(logger, () => server.close());
} catch (err) {
  logger.fatal({ err }, 'gateway failed to start');
  logger.flush(() => process.exit(1));
}
