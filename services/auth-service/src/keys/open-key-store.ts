import { ConfigError, type Logger } from '@gatehouse/shared';
import { acceptedForMs } from './accepted-for.js';
import type { StoredKey } from './key-directory.js';
import { keyLifecycle } from './key-lifecycle.js';
import type { KeyRepository } from './key-repository.js';
import { missingSignerProblem } from './missing-signer.js';
import { createKeyStore, type KeyStore } from './key-store.js';
import { generatePrivateKey, type SigningAlg } from './signing-alg.js';
import { signingKeyFromKeyObject, type SigningKey } from './signing-key.js';

export interface OpenKeyStoreOptions {
  /** The token settings keys follow (the Config's `tokens`, tokens/token-config.ts). */
  tokens: {
    readonly alg: SigningAlg;
    /** Seconds. */
    readonly accessTokenTtl: number;
    readonly clockSkew: number;
    readonly signingKeys: readonly SigningKey[] | undefined;
  };
  /** Where the keys are kept (db/open-stores.ts); unused with SIGNING_KEYS. */
  repository: KeyRepository;
  production: boolean;
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  refreshIntervalMs?: number;
}

/**
 * Start-up: the key store from SIGNING_KEYS, or from the key repository (DATA_DIR/keys or
 * PostgreSQL). An entry of the repository that cannot be read stops the start with its
 * reason. When no key can sign now, development generates one (loudly; once, however many
 * replicas start together) and production refuses to start with a ConfigError saying how to
 * create one.
 */
export async function openKeyStore(options: OpenKeyStoreOptions): Promise<KeyStore> {
  const { tokens, repository, now, logger } = options;
  const retainMs = acceptedForMs(tokens);
  const common = { retainMs, now, logger, refreshIntervalMs: options.refreshIntervalMs };
  if (tokens.signingKeys) {
    return createKeyStore({ ...common, source: { kind: 'static', keys: tokens.signingKeys } });
  }
  const listing = await repository.list();
  if (listing.problems[0]) throw listing.problems[0].error;
  let keys = [...listing.keys];
  let active: StoredKey | undefined = activeAt(keys, now(), retainMs);
  if (!active) {
    if (options.production) {
      throw new ConfigError('auth-service', [missingSignerProblem(repository.location)]);
    }
    // Under the repository's lock: replicas starting together on one empty database must
    // agree on one generated key, so each looks again once it holds the lock.
    let generated: StoredKey | undefined;
    ({ keys, active, generated } = await repository.exclusive(async (locked) => {
      const again = await locked.list();
      if (again.problems[0]) throw again.problems[0].error;
      const at = now();
      const found = activeAt(again.keys, at, retainMs);
      if (found) return { keys: [...again.keys], active: found, generated: undefined };
      // Nothing has been published yet, so nothing can have cached the set: sign at once.
      const key: StoredKey = {
        ...signingKeyFromKeyObject(generatePrivateKey(tokens.alg), tokens.alg),
        createdAt: at,
        activatesAt: at,
      };
      await locked.add(key);
      return { keys: [...again.keys, key], active: key, generated: key };
    }));
    if (generated) {
      logger.warn(
        { kid: generated.kid, alg: generated.alg, dir: repository.location },
        'DEVELOPMENT: generated a signing key; production refuses to start without one ' +
          '(npm run keys -- rotate, or SIGNING_KEYS)',
      );
    }
  }
  if (active.alg !== tokens.alg) {
    logger.warn(
      { kid: active.kid, alg: active.alg, JWT_ALG: tokens.alg },
      'the active signing key does not use JWT_ALG; run "npm run keys -- rotate" to switch',
    );
  }
  return createKeyStore({ ...common, source: { kind: 'repository', repository, keys } });
}

function activeAt(keys: readonly StoredKey[], at: number, retainMs: number) {
  return keyLifecycle(keys, at, retainMs).find((status) => status.state === 'active');
}
