import { loadConfig, type Env } from '@gatehouse/shared';
import { serviceEnv } from '../config/service-env.js';
import { buildStorageConfig, storageEnvSpec, type StorageConfig } from '../config/storage-env.js';
import { buildTokenConfig, tokenEnvSpec } from '../config/token-env.js';
import { acceptedForMs } from '../keys/accepted-for.js';
import type { TokenConfig } from '../tokens/token-config.js';
import { openStores, type Stores } from '../db/open-stores.js';
import type { KeyRepository } from '../keys/key-repository.js';
import { rotateSigningKey } from '../keys/rotate-signing-key.js';
import { isSigningAlg, SIGNING_ALGS, type SigningAlg } from '../keys/signing-alg.js';
import { CliError, runCliCommand, type CliCommand } from './cli-command.js';
import type { CliOutput } from './cli-output.js';
import { isoDate, listKeys } from './keys-list.js';

const USAGE = `usage: npm run keys -- <command>
  list                 every signing key with its state (next, active, retired, expired)
                       and dates; with SIGNING_KEYS, which key signs (active) and which are
                       only published
  rotate [--alg ALG]   add a key: a running auth-service serves it in its JWKS within a
                       second, verifiers holding a cached key set see it within the JWKS
                       max-age, and it signs after KEY_PUBLISH_DELAY seconds
                       (ALG: ${SIGNING_ALGS.join(', ')}; default JWT_ALG)
  reencrypt            PostgreSQL (DATABASE_URL): seal every signing key again with the
                       first KEY_ENCRYPTION_KEY entry, so older entries can be dropped
Exit codes: 0 done, 1 refused (bad configuration, rotation not possible), 2 usage.`;

/** Only what the keys need, so the CLI runs without the sign-in variables. */
const cliEnvSpec = {
  NODE_ENV: serviceEnv.NODE_ENV,
  PUBLIC_URL: serviceEnv.PUBLIC_URL,
  ...storageEnvSpec,
  ...tokenEnvSpec,
};

/**
 * `npm run keys -- list | rotate`. Returns the exit code (as `npm run users`: 0 done, 1
 * refused, 2 usage, with usage errors and the usage text on stderr); writes only through
 * `io`, so tests run it in-process with their own env, clock and DATA_DIR.
 */
export function runKeysCommand(
  argv: readonly string[],
  env: Env,
  io: CliOutput,
  now: number,
): Promise<number> {
  const cli: CliCommand<KeysConfig> = {
    usage: USAGE,
    loadConfig: (e) =>
      loadConfig('keys', cliEnvSpec, e, (values, problem) => ({
        storage: buildStorageConfig(values, problem),
        ...buildTokenConfig(values, problem, new URL(values.PUBLIC_URL).origin),
      })),
    errorPrefix: () => 'keys',
    // Whatever stops a rotation (an unreadable key directory, say) is a refusal, not a crash.
    refusalOf: (err) => new CliError((err as Error).message),
    async run(command, rest, config) {
      if (command === 'list' && rest.length === 0) {
        return withKeys(config, (keys) => listKeys(config.tokens, keys, io, now));
      }
      if (command === 'rotate') {
        const alg = parseAlg(rest, config.tokens.alg);
        return withKeys(config, (keys) => rotate(config.tokens, keys, alg, io, now));
      }
      if (command === 'reencrypt' && rest.length === 0) {
        return withStores(config, async (stores) => {
          const count = await stores.reencryptKeys();
          io.out(`re-encrypted ${count} signing key(s) with the first KEY_ENCRYPTION_KEY entry`);
          return 0;
        });
      }
      throw usageError(`unknown command "${[command, ...rest].join(' ')}"`);
    },
  };
  return runCliCommand(cli, argv, env, io);
}

type KeysConfig = Readonly<{ storage: StorageConfig; tokens: TokenConfig }>;

/** Runs `work` on the stores (db/open-stores.ts: DATA_DIR or DATABASE_URL), closed after. */
async function withStores(
  config: KeysConfig,
  work: (stores: Stores) => Promise<number>,
): Promise<number> {
  const stores = await openStores(config.storage);
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

/** Runs `work` on the key repository (DATA_DIR/keys or PostgreSQL). */
function withKeys(config: KeysConfig, work: (keys: KeyRepository) => Promise<number>) {
  return withStores(config, (stores) => work(stores.keys));
}

function usageError(message: string): CliError {
  return new CliError(message, 2);
}

function parseAlg(args: readonly string[], fallback: SigningAlg): SigningAlg {
  if (args.length === 0) return fallback;
  const [flag, value, ...extra] = args;
  if (flag !== '--alg' || extra.length > 0) throw usageError(`unexpected "${args.join(' ')}"`);
  if (!isSigningAlg(value)) {
    throw usageError(`--alg must be one of ${SIGNING_ALGS.join(', ')} (got ${value ?? 'nothing'})`);
  }
  return value;
}

async function rotate(
  tokens: TokenConfig,
  repository: KeyRepository,
  alg: SigningAlg,
  io: CliOutput,
  now: number,
): Promise<number> {
  if (tokens.signingKeys) {
    io.err(
      'keys: SIGNING_KEYS is set, so keys are rotated in the secret manager: append the new key, ' +
        `wait KEY_PUBLISH_DELAY (${tokens.keyPublishDelay} s), move it first, and remove the old ` +
        `key ${acceptedForMs(tokens) / 1000} s later`,
    );
    return 1;
  }
  const result = await rotateSigningKey({
    repository,
    alg,
    now,
    publishDelayMs: tokens.keyPublishDelay * 1000,
    retainMs: acceptedForMs(tokens),
  });
  for (const kid of result.pruned) io.out(`removed expired key ${kid}`);
  // The running auth-service lists the keys again at most a second after a request, and the
  // JWKS answer may be cached for jwksMaxAge, so "published now" would overstate it.
  const cachedUntil = isoDate(now + (KEY_RELOAD_S + tokens.jwksMaxAge) * 1000);
  io.out(
    result.immediate
      ? `added ${alg} key ${result.key.kid}; no key was signing, so it signs now`
      : `added ${alg} key ${result.key.kid}: a running auth-service serves it in its JWKS ` +
          `within ${KEY_RELOAD_S} s; verifiers holding a cached key set (max-age ` +
          `${tokens.jwksMaxAge} s) see it by ${cachedUntil}; signs from ` +
          isoDate(result.key.activatesAt),
  );
  return 0;
}

/** How long a running auth-service takes to list the keys again (key-store refresh). */
const KEY_RELOAD_S = 1;
