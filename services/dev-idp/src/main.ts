import { ConfigError, createLogger, onShutdownSignal } from '@gatehouse/shared';
import { loadConfig } from './config.js';
import { start } from './server.js';

/** Process boundary: configuration from the environment, start, close on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger({ service: 'dev-idp', level: config.logLevel });
  const running = await start(config, { logger });
  logger.info({ port: running.port }, 'listening');
  onShutdownSignal(logger, () => running.close());
}

await main();
