import { ConfigError, createLogger, onShutdownSignal } from '@gatehouse/shared';
import { loadConfig, type Config } from './config.js';
import { start } from './server.js';

/** Process boundary: configuration from the environment, start, signals. */
let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

const logger = createLogger({ service: config.service, level: config.logLevel });
const running = await start(config, { logger });
onShutdownSignal(logger, () => running.close(config.shutdownTimeoutMs));
