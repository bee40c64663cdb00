import { ConfigError, createLogger, onShutdownSignal } from '@gatehouse/shared';
import { loadConfig, type Config } from './config.js';
import { startServer } from './server.js';

// The process boundary: the only place that reads process.env or exits.
let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger({ service: 'auth-service', level: config.logLevel });
const running = await startServer(config, { logger }).catch((err: unknown) => {
  // Start-up can find problems config alone cannot (no signing key in production).
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
onShutdownSignal(logger, () => running.close(config.shutdownTimeoutMs));
