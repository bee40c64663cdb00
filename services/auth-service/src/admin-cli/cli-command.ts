import { ConfigError, loadConfig, type Env } from '@gatehouse/shared';
import { buildStorageConfig, storageEnvSpec, type StorageConfig } from '../config/storage-env.js';
import { openStores, type Stores } from '../db/open-stores.js';
import type { CliOutput } from './cli-output.js';

/** Exit codes of every auth-service CLI: 0 done, 1 refused (unknown name, bad value), 2 usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** What one `npm run users | clients | keys` adds to the shell that `runCliCommand` shares. */
export interface CliCommand<C> {
  /** Printed on stdout for `help`, on stderr with no command or after a usage error. */
  usage: string;
  /** Reads what the command needs from the environment; a ConfigError exits 1. */
  loadConfig(env: Env): C;
  /** Runs `command`; resolves to the exit code or rejects with a CliError. */
  run(command: string, args: string[], config: C): Promise<number>;
  /** What precedes a refusal's message on stderr, e.g. `users remove`. */
  errorPrefix(command: string): string;
  /** A refusal for an error that is not a CliError; undefined lets it propagate. */
  refusalOf?(err: unknown): CliError | undefined;
}

/**
 * The shell of the auth-service CLIs: help and usage, configuration errors, and refusals with
 * their exit codes (0 done, 1 refused, 2 usage). Writes only through `io`.
 */
export async function runCliCommand<C>(
  cli: CliCommand<C>,
  argv: readonly string[],
  env: Env,
  io: CliOutput,
): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    (command === undefined ? io.err : io.out)(cli.usage);
    return command === undefined ? 2 : 0;
  }
  let config: C;
  try {
    config = cli.loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return 1;
  }
  try {
    return await cli.run(command, args, config);
  } catch (err) {
    const refusal = err instanceof CliError ? err : cli.refusalOf?.(err);
    if (!refusal) throw err;
    io.err(`${cli.errorPrefix(command)}: ${refusal.message}`);
    if (refusal.exitCode === 2) io.err(cli.usage);
    return refusal.exitCode;
  }
}

/**
 * A command on the auth-service stores alone (users, clients): DATA_DIR or DATABASE_URL are its
 * only variables, `run` gets the stores open (db/open-stores.ts) and they are closed after; a run that
 * resolves exits 0.
 */
export function storesCommand(options: {
  name: string;
  usage: string;
  run(command: string, args: string[], stores: Stores): Promise<void>;
  refusalOf?(err: unknown): CliError | undefined;
}): CliCommand<StorageConfig> {
  const { name, run } = options;
  return {
    usage: options.usage,
    loadConfig: (env) => loadConfig(name, storageEnvSpec, env, buildStorageConfig),
    errorPrefix: (command) => `${name} ${command}`,
    refusalOf: (err) => options.refusalOf?.(err),
    async run(command, args, storage) {
      const stores = await openStores(storage);
      try {
        await run(command, args, stores);
        return 0;
      } finally {
        await stores.close();
      }
    },
  };
}
