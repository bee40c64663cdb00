import { createHash } from 'node:crypto';
import { HttpError, type Logger } from '@gatehouse/shared';
import { importJWK, type CryptoKey, type JWK } from 'jose';
import { listKeyFiles, readKeyFile, removeKeyFile, type StoredKey } from './key-directory.js';
import { keyLifecycle, type KeyState, type KeyStatus } from './key-lifecycle.js';
import type { SigningAlg } from './signing-alg.js';
import type { SigningKey } from './signing-key.js';

/** Where keys come from: files under DATA_DIR/keys, or a fixed set from SIGNING_KEYS. */
export type KeySource =
  | { kind: 'directory'; dir: string; keys: readonly StoredKey[] }
  | { kind: 'static'; keys: readonly SigningKey[] };

/** A key's place in the rotation; `published` is a SIGNING_KEYS key that is not the signer. */
export type StoreKeyState = KeyState | 'published';
export type StoreKeyStatus = Omit<KeyStatus<StoredKey>, 'state'> & { state: StoreKeyState };

/** The signer, with its private key imported once and then reused. */
export interface ActiveKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly cryptoKey: Promise<CryptoKey>;
}

/** The public key set as served: rebuilt only when the set of published keys changes. */
export interface Publication {
  readonly body: string;
  readonly etag: string;
  readonly algorithms: readonly SigningAlg[];
}

export interface KeyStore {
  /** True for SIGNING_KEYS: rotation happens in the secret manager, not here. */
  readonly readOnly: boolean;
  /** The key that signs now; 503 when there is none (every key file deleted underneath). */
  activeKey(): ActiveKey;
  publication(): Publication;
  statuses(): StoreKeyStatus[];
}

export interface KeyStoreOptions {
  source: KeySource;
  /** How long a retired key stays published: token lifetime plus clock skew, in ms. */
  retainMs: number;
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How often the key directory is listed again for keys rotated by the CLI. */
  refreshIntervalMs?: number;
}

/**
 * The auth-service's signing keys. With a directory source it follows `npm run keys -- rotate`
 * without a restart: at most once per `refreshIntervalMs` (on the injected clock) it lists the
 * directory, loads new files, forgets deleted ones and deletes keys whose lifetime is over.
 */
export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const { source, retainMs, now, logger } = options;
  const refreshIntervalMs = options.refreshIntervalMs ?? 1000;
  let keys: StoredKey[] =
    source.kind === 'directory'
      ? [...source.keys]
      : source.keys.map((key) => ({ ...key, createdAt: 0, activatesAt: 0 }));
  let lastRefresh = now();
  let loadedNames = keys.map((key) => `${key.kid}.json`).sort();
  const reportedBadFiles = new Set<string>();
  const imported = new Map<string, Promise<CryptoKey>>();
  let published: Publication | undefined;
  let publishedKids = '';

  function refresh(at: number): void {
    if (source.kind !== 'directory' || at - lastRefresh < refreshIntervalMs) return;
    lastRefresh = at;
    try {
      const names = listKeyFiles(source.dir);
      if (names.join() !== loadedNames.join()) {
        keys = reload(source.dir, names, keys);
        loadedNames = names;
        logger.info({ kids: keys.map((key) => key.kid) }, 'signing keys reloaded');
      }
      for (const status of keyLifecycle(keys, at, retainMs)) {
        if (status.state !== 'expired') continue;
        removeKeyFile(source.dir, status.kid);
        keys = keys.filter((key) => key.kid !== status.kid);
        loadedNames = loadedNames.filter((name) => name !== `${status.kid}.json`);
        imported.delete(status.kid);
        logger.info({ kid: status.kid }, 'expired signing key removed');
      }
    } catch (err) {
      logger.error({ err }, 'signing key directory could not be read; keeping the loaded keys');
    }
  }

  function reload(dir: string, names: string[], current: StoredKey[]): StoredKey[] {
    const byName = new Map(current.map((key) => [`${key.kid}.json`, key]));
    return names.flatMap((name) => {
      const known = byName.get(name);
      if (known) return [known];
      try {
        return [readKeyFile(dir, name)];
      } catch (err) {
        if (!reportedBadFiles.has(name)) logger.error({ err }, 'signing key file ignored');
        reportedBadFiles.add(name);
        return [];
      }
    });
  }

  function statuses(): StoreKeyStatus[] {
    const at = now();
    refresh(at);
    if (source.kind === 'static') {
      // SIGNING_KEYS: the first key signs; the rest are published for verification only.
      return keys.map((key, index) => ({
        ...key,
        state: index === 0 ? 'active' : 'published',
        retiredAt: undefined,
        unpublishAt: undefined,
      }));
    }
    return keyLifecycle(keys, at, retainMs);
  }

  return {
    readOnly: source.kind === 'static',
    statuses,
    activeKey() {
      const active = statuses().find((status) => status.state === 'active');
      if (!active) {
        throw new HttpError(503, 'temporarily_unavailable', 'no active signing key');
      }
      let cryptoKey = imported.get(active.kid);
      if (!cryptoKey) {
        cryptoKey = importJWK(active.privateJwk as JWK, active.alg) as Promise<CryptoKey>;
        imported.set(active.kid, cryptoKey);
      }
      return { kid: active.kid, alg: active.alg, cryptoKey };
    },
    publication() {
      const visible = statuses().filter((status) => status.state !== 'expired');
      const kids = visible.map((status) => status.kid).join();
      if (!published || kids !== publishedKids) {
        const body = JSON.stringify({ keys: visible.map((status) => status.publicJwk) });
        published = {
          body,
          etag: `"${createHash('sha256').update(body).digest('base64url')}"`,
          algorithms: [...new Set(visible.map((status) => status.alg))],
        };
        publishedKids = kids;
      }
      return published;
    },
  };
}
