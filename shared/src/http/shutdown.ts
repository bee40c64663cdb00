import type { Logger } from 'pino';

/**
 * Runs `close` once on SIGTERM or SIGINT, then exits: 0 when it finished, 1 when it threw.
 * A second signal while closing exits at once.
 *
 * @example
 * onShutdownSignal(logger, () => running.close(config.shutdownTimeoutMs));
 */
export function onShutdownSignal(logger: Logger, close: () => Promise<void>): void {
  let closing = false;
  const handle = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal while draining; exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    close().then(
      () => {
        logger.info('closed');
        logger.flush();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
