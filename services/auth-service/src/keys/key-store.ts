import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { HttpError, type Logger } from '@gatehouse/shared';
import type { JWK } from 'jose';
import type { StoredKey } from './key-directory.js';
import { keyLifecycle, type KeyState, type KeyStatus } from './key-lifecycle.js';
import type { KeyListing, KeyRepository } from './key-repository.js';
import type { SigningAlg } from './signing-alg.js';
import type { SigningKey } from './signing-key.js';

const FAILURE_LOG_INTERVAL_MS = 60_000;

/** Where keys come from: a repository (DATA_DIR/keys), as first listed, or SIGNING_KEYS. */
export type KeySource =
  | { kind: 'repository'; repository: KeyRepository; keys: readonly StoredKey[] }
  | { kind: 'static'; keys: readonly SigningKey[] };

/** A key's place in the rotation; `published` is a SIGNING_KEYS key that is not the signer. */
export type StoreKeyState = KeyState | 'published';
export type StoreKeyStatus = Omit<KeyStatus<StoredKey>, 'state'> & { state: StoreKeyState };

/** The signer, with its private key imported once and then reused. */
export interface ActiveKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly privateKey: KeyObject;
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
  /**
   * Starts a read of the repository if one is due (as every call above does) and resolves
   * once the read under way, if any, has been applied. The hot path never waits for it.
   */
  refresh(): Promise<void>;
}

export interface KeyStoreOptions {
  source: KeySource;
  /** How long a retired key stays published: token lifetime plus clock skew, in ms. */
  retainMs: number;
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How often the repository is listed again for keys rotated by the CLI. */
  refreshIntervalMs?: number;
}

/**
 * The auth-service's signing keys, answered synchronously from the keys in memory. With a
 * repository source it follows `npm run keys -- rotate` without a restart: a call at least
 * `refreshIntervalMs` (on the injected clock) after the last read starts a background read of
 * the repository (never two at once) that loads new keys, forgets deleted ones and deletes
 * keys whose lifetime is over; a failed read keeps the loaded keys and is logged (the first
 * failure, then once a minute while they go on, then the recovery).
 */
export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const { source, retainMs, now, logger } = options;
  const refreshIntervalMs = options.refreshIntervalMs ?? 1000;
  let keys: StoredKey[] =
    source.kind === 'repository'
      ? [...source.keys]
      : source.keys.map((key) => ({ ...key, createdAt: 0, activatesAt: 0 }));
  let lastRefresh = now();
  const reportedProblems = new Set<string>();
  const imported = new Map<string, KeyObject>();
  let published: Publication | undefined;
  let publishedKids = '';
  let reading: Promise<void> | undefined;
  // While reads keep failing (the database is down), say so once and then once a minute.
  let failingSince: number | undefined;
  let lastFailureLog = 0;

  function refresh(at: number): void {
    if (source.kind !== 'repository' || reading || at - lastRefresh < refreshIntervalMs) return;
    lastRefresh = at;
    const { repository } = source;
    reading = (async () => {
      try {
        apply(await repository.list());
        if (failingSince !== undefined) {
          logger.info({ failingForMs: now() - failingSince }, 'signing keys can be read again');
          failingSince = undefined;
        }
        for (const status of keyLifecycle(keys, now(), retainMs)) {
          if (status.state !== 'expired') continue;
          await repository.remove(status.kid);
          keys = keys.filter((key) => key.kid !== status.kid);
          imported.delete(status.kid);
          logger.info({ kid: status.kid }, 'expired signing key removed');
        }
      } catch (err) {
        if (failingSince === undefined) {
          failingSince = lastFailureLog = at;
          logger.error({ err }, 'signing keys could not be read; keeping the loaded keys');
        } else if (at - lastFailureLog >= FAILURE_LOG_INTERVAL_MS) {
          lastFailureLog = at;
          logger.error(
            { err, failingForMs: at - failingSince },
            'signing keys still cannot be read; keeping the loaded keys',
          );
        }
      } finally {
        reading = undefined;
      }
    })();
  }

  function apply(listing: KeyListing): void {
    for (const problem of listing.problems) {
      if (!reportedProblems.has(problem.name)) {
        logger.error({ err: problem.error }, 'signing key file ignored');
      }
      reportedProblems.add(problem.name);
    }
    const kids = (list: readonly StoredKey[]) =>
      list
        .map((key) => key.kid)
        .sort()
        .join();
    if (kids(listing.keys) === kids(keys)) return;
    const known = new Map(keys.map((key) => [key.kid, key]));
    keys = listing.keys.map((key) => known.get(key.kid) ?? key);
    const present = new Set(keys.map((key) => key.kid));
    for (const kid of imported.keys()) if (!present.has(kid)) imported.delete(kid);
    logger.info({ kids: keys.map((key) => key.kid) }, 'signing keys reloaded');
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
    async refresh() {
      refresh(now());
      await reading;
    },
    activeKey() {
      const active = statuses().find((status) => status.state === 'active');
      if (!active) {
        throw new HttpError(503, 'temporarily_unavailable', 'no active signing key');
      }
      let privateKey = imported.get(active.kid);
      if (!privateKey) {
        privateKey = createPrivateKey({
          key: active.privateJwk as JWK & { kty: string },
          format: 'jwk',
        });
        imported.set(active.kid, privateKey);
      }
      return { kid: active.kid, alg: active.alg, privateKey };
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
