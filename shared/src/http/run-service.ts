import { ConfigError } from '../config/config-error.js';
import type { Env } from '../config/load-config.js';
import { misspeltVariableMessage, misspeltVariables } from '../config/misspelt-variables.js';
import { batchedDestination } from '../batched-destination.js';
import { createLogger, type Logger } from '../logger.js';
import { PortInUseError } from './port-in-use-error.js';
import { onShutdownSignal } from './shutdown.js';

/** What a service's `main.ts` hands to `runService`. */
export interface ServiceEntry<C extends { logLevel: string }> {
  service: string;
  loadConfig(env: Env): C;
  /**
   * Every variable the service reads (its envSpec's names, plus any it reads by pattern): a
   * set variable one typo away from one of them is logged once at warn with the likely name.
   */
  variables?(env: Env): Iterable<string>;
  /**
   * Problems start-up would find only later (a missing signing key), looked up without side
   * effects so that a bad configuration lists them too, every problem in one go.
   */
  startProblems?(env: Env): readonly string[];
  /** Starts listening; the returned `close` drains and releases everything. */
  start(config: C, logger: Logger): Promise<{ close(): Promise<void> }>;
}

/**
 * The process boundary every service shares: reads `process.env` once, logs JSON lines to
 * stdout in batches, prints every
 * configuration problem and exits 1 on a bad configuration (also one found while starting,
 * such as a missing signing key), logs any other start-up failure as fatal and exits 1, and
 * drains on SIGTERM/SIGINT.
 *
 * @example
 * // services/api-service/src/main.ts
 * await runService({
 *   service: 'api-service',
 *   loadConfig,
 *   start: async (config, logger) => {
 *     const running = await startServer(config, { logger });
 *     return { close: () => running.close(config.shutdownTimeoutMs) };
 *   },
 * });
 */
export async function runService<C extends { logLevel: string }>(
  entry: ServiceEntry<C>,
  env: Env = process.env,
): Promise<void> {
  let config: C;
  try {
    config = entry.loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const more = entry.startProblems?.(env) ?? [];
    exitOnConfigError(
      more.length > 0 ? new ConfigError(entry.service, [...err.problems, ...more]) : err,
    );
  }
  // One stdout write per event-loop turn instead of one per log line; flushed on exit.
  const destination = batchedDestination(process.stdout);
  process.once('exit', () => destination.flush());
  const logger = createLogger({ service: entry.service, level: config.logLevel, destination });
  for (const misspelt of misspeltVariables(env, entry.variables?.(env) ?? [])) {
    logger.warn({ variable: misspelt.name }, misspeltVariableMessage(misspelt));
  }
  let running: { close(): Promise<void> };
  try {
    running = await entry.start(config, logger);
  } catch (err) {
    if (err instanceof ConfigError) exitOnConfigError(err);
    if (err instanceof PortInUseError) {
      // Expected and fixable: the one line that says which variable to change, no stack.
      process.stderr.write(`${entry.service}: ${err.message}\n`);
      logger.flush(() => process.exit(1));
      return;
    }
    logger.fatal({ err }, `${entry.service} failed to start`);
    logger.flush(() => process.exit(1));
    return;
  }
  onShutdownSignal(logger, () => running.close());
}

function exitOnConfigError(err: unknown): never {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
