import { importKeySet, maxAgeOf, type KeyEntry, type KeySet } from './jwks-keys.js';
import { retryLog } from '../retry-log.js';
import { TokenError } from './token-error.js';

/**
 * What the cache logs: pino's `warn(obj, msg)` shape, so a service passes its logger.
 *
 * @example
 * createTokenVerifier({ jwksUrl, issuer, audience, logger: createLogger({ service: 'reports' }) });
 */
export interface VerifierLogger {
  warn(data: object, message: string): void;
  /** Failures while the services are still starting together go here (see retryLog). */
  debug?(data: object, message: string): void;
}

export interface JwksCacheOptions {
  url: string;
  algorithms: readonly string[];
  fetch: typeof globalThis.fetch;
  now: () => number;
  /** Longest a fetched key set is used before it is fetched again (seconds). */
  maxAgeSeconds: number;
  /** Shortest lifetime, whatever `Cache-Control` says, so `max-age=0` cannot make us hammer. */
  minAgeSeconds: number;
  /** How long past its lifetime a key set keeps verifying while the JWKS cannot be fetched. */
  maxStaleSeconds: number;
  /** Least time between fetches caused by unknown `kid`s or by failed refreshes. */
  cooldownSeconds: number;
  /** Until a first key set is obtained, a failed fetch is retried this soon instead. */
  coldRetrySeconds: number;
  timeoutMs: number;
  maxBytes: number;
  logger: VerifierLogger;
}

export interface JwksCache {
  /** The key for `kid`, fetching the JWKS when needed. Throws TokenError. */
  getKey(kid: string): Promise<KeyEntry>;
  /** True when `kid` is in the set in force right now and no fetch is due (the fast path). */
  isCurrent(kid: string): boolean;
  /** Resolves while a usable key set exists (fetching when none is); rejects otherwise. */
  ensureLoaded(): Promise<void>;
  stats(): { fetches: number; failures: number; keys: number; fetchedAt: number | undefined };
}

/**
 * One JWKS cache per process. Enforces:
 * - single flight: concurrent callers share one fetch;
 * - a lifetime from `Cache-Control: max-age`, clamped to [minAge, maxAge]; after it, the next
 *   caller refetches, so a withdrawn key stops verifying within the lifetime;
 * - an unknown `kid` refetches at most once per cooldown, however many arrive;
 * - stale-if-error: when a refresh fails, the last set keeps verifying for at most maxStale,
 *   retried once per cooldown; no usable set (none yet, or past the stale bound) means 503 `keys_unavailable`,
 *   not 401.
 */
export function createJwksCache(options: JwksCacheOptions): JwksCache {
  const { now, logger } = options;
  const retries = retryLog({ logger, now });
  const cooldownMs = options.cooldownSeconds * 1000;
  let keys: KeySet | undefined;
  let fetchedAt: number | undefined;
  let freshUntil = -Infinity;
  let lastAttemptAt = -Infinity;
  let lastAttemptFailed = false;
  let inflight: Promise<void> | undefined;
  let fetches = 0;
  let failures = 0;

  async function fetchKeySet(): Promise<void> {
    fetches += 1;
    try {
      const response = await options.fetch(options.url, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new Error(`the JWKS endpoint answered ${response.status}`);
      const text = await response.text();
      if (text.length > options.maxBytes) throw new Error('the JWKS document is too large');
      const imported = await importKeySet(JSON.parse(text), options.algorithms, (msg, data) =>
        logger.warn({ ...data, jwks_url: options.url }, msg),
      );
      const declared = maxAgeOf(response.headers.get('cache-control'));
      const lifetime = Math.min(
        Math.max(declared ?? options.maxAgeSeconds, options.minAgeSeconds),
        options.maxAgeSeconds,
      );
      keys = imported;
      fetchedAt = now();
      freshUntil = fetchedAt + lifetime * 1000;
      lastAttemptFailed = false;
      retries.succeeded();
    } catch (err) {
      failures += 1;
      lastAttemptFailed = true;
      retries.failed(
        { jwks_url: options.url },
        keys ? 'JWKS refresh failed; keeping the previous keys' : 'JWKS fetch failed',
        err,
      );
    }
  }

  /** Starts a fetch unless one is running or the last attempt is younger than `minGapMs`. */
  function refresh(minGapMs: number): Promise<void> {
    if (inflight) return inflight;
    if (now() - lastAttemptAt < minGapMs) return Promise.resolve();
    lastAttemptAt = now();
    inflight = fetchKeySet().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  /** The gap a due refresh must respect: none after a success, a cooldown after a failure. */
  function dueRefreshGap(): number {
    if (!lastAttemptFailed) return 0;
    return keys ? cooldownMs : Math.min(options.coldRetrySeconds * 1000, cooldownMs);
  }

  function usable(): KeySet | undefined {
    if (keys === undefined) return undefined;
    return now() < freshUntil + options.maxStaleSeconds * 1000 ? keys : undefined;
  }

  return {
    async getKey(kid) {
      if (inflight) await inflight;
      if (now() >= freshUntil) await refresh(dueRefreshGap());
      let set = usable();
      if (!set) {
        throw new TokenError('keys_unavailable', 'the signing keys could not be obtained');
      }
      if (!set.has(kid)) {
        await refresh(cooldownMs);
        set = usable();
      }
      const entry = set?.get(kid);
      if (!entry) throw new TokenError('unknown_kid', 'the token was signed with an unknown key');
      return entry;
    },
    isCurrent(kid) {
      if (keys === undefined || inflight) return false;
      const at = now();
      if (at < freshUntil) return keys.has(kid);
      const coolingDown = lastAttemptFailed && at - lastAttemptAt < cooldownMs;
      return coolingDown && usable() !== undefined && keys.has(kid);
    },
    async ensureLoaded() {
      if (usable() === undefined) await refresh(dueRefreshGap());
      if (keys === undefined) throw new Error('the JWKS has not been obtained yet');
      if (usable() === undefined) {
        throw new Error('the last JWKS obtained is older than JWKS_MAX_STALE allows');
      }
    },
    stats: () => ({ fetches, failures, keys: keys?.size ?? 0, fetchedAt }),
  };
}
