import { ConfigError, type Logger } from '@gatehouse/shared';
import type { TokenConfig } from '../config/token-env.js';
import {
  listKeyFiles,
  openKeyDirectory,
  readKeyFile,
  writeKeyFile,
  type StoredKey,
} from './key-directory.js';
import { keyLifecycle } from './key-lifecycle.js';
import { missingSignerProblem } from './missing-signer.js';
import { createKeyStore, type KeyStore } from './key-store.js';
import { generatePrivateKey } from './signing-alg.js';
import { signingKeyFromKeyObject } from './signing-key.js';

export interface OpenKeyStoreOptions {
  tokens: TokenConfig;
  dataDir: string;
  production: boolean;
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  refreshIntervalMs?: number;
}

/**
 * Start-up: the key store from SIGNING_KEYS, or from DATA_DIR/keys. When the directory has no
 * key that can sign now, development generates one (loudly) and production refuses to start
 * with a ConfigError saying how to create one.
 */
export function openKeyStore(options: OpenKeyStoreOptions): KeyStore {
  const { tokens, now, logger } = options;
  const retainMs = (tokens.accessTokenTtl + tokens.clockSkew) * 1000;
  const common = { retainMs, now, logger, refreshIntervalMs: options.refreshIntervalMs };
  if (tokens.signingKeys) {
    return createKeyStore({ ...common, source: { kind: 'static', keys: tokens.signingKeys } });
  }
  const dir = openKeyDirectory(options.dataDir);
  const keys = listKeyFiles(dir).map((name) => readKeyFile(dir, name));
  const at = now();
  let active = keyLifecycle(keys, at, retainMs).find((status) => status.state === 'active');
  if (!active) {
    if (options.production) {
      throw new ConfigError('auth-service', [missingSignerProblem(dir)]);
    }
    // Nothing has been published yet, so nothing can have cached the set: sign at once.
    const generated: StoredKey = {
      ...signingKeyFromKeyObject(generatePrivateKey(tokens.alg), tokens.alg),
      createdAt: at,
      activatesAt: at,
    };
    writeKeyFile(dir, generated);
    keys.push(generated);
    active = { ...generated, state: 'active', retiredAt: undefined, unpublishAt: undefined };
    logger.warn(
      { kid: generated.kid, alg: generated.alg, dir },
      'DEVELOPMENT: generated a signing key; production refuses to start without one ' +
        '(npm run keys -- rotate, or SIGNING_KEYS)',
    );
  }
  if (active.alg !== tokens.alg) {
    logger.warn(
      { kid: active.kid, alg: active.alg, JWT_ALG: tokens.alg },
      'the active signing key does not use JWT_ALG; run "npm run keys -- rotate" to switch',
    );
  }
  return createKeyStore({ ...common, source: { kind: 'directory', dir, keys } });
}
