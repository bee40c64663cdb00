import { type Logger, retryLog } from '@gatehouse/shared';
import type { ProviderEndpoints } from './openid-provider.js';
import { discoverProvider, type Fetch } from './discover-provider.js';

/** Waits `ms` or until `signal` aborts; injected so tests never sleep. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Discovery requests that hang are given up after this long (then retried). */
const DISCOVERY_TIMEOUT_MS = 5000;

/**
 * The real wait. The abort listener is removed when the timer fires: the loader reuses one
 * signal for every retry, and a listener left behind per retry would pile up (Node warns
 * after 10 with MaxListenersExceededWarning).
 */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface ProviderLoader {
  /** The provider once discovered, else undefined (sign-in answers 503 meanwhile). */
  current(): ProviderEndpoints | undefined;
  /** Resolves with the provider once discovered; rejects only when stopped first. */
  loaded: Promise<ProviderEndpoints>;
  /** Stops retrying and aborts a discovery request in flight (shutdown). */
  stop(): void;
}

/**
 * Discovers the provider in the background, retrying with exponential backoff (capped) until
 * it answers, so the service starts, reports unready, and recovers by itself when the
 * provider comes up.
 */
export function loadProvider(options: {
  issuer: string;
  backchannelUrl: string | undefined;
  fetch: Fetch;
  /** How the endpoints are found (the provider's kind); default OpenID discovery of `issuer`. */
  discover?: (signal: AbortSignal) => Promise<ProviderEndpoints>;
  /** The provider id, for the log lines; default none. */
  id?: string;
  logger: Logger;
  sleep?: Sleep;
  initialDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
}): ProviderLoader {
  const sleep = options.sleep ?? realSleep;
  const controller = new AbortController();
  const retries = retryLog({ logger: options.logger, now: options.now ?? Date.now });
  let provider: ProviderEndpoints | undefined;
  const discover =
    options.discover ??
    ((signal: AbortSignal) =>
      discoverProvider({
        issuer: options.issuer,
        backchannelUrl: options.backchannelUrl,
        fetch: options.fetch,
        signal,
      }));
  const label = options.id === undefined ? {} : { provider: options.id };

  const run = async (): Promise<ProviderEndpoints> => {
    let delay = options.initialDelayMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        provider = await discover(
          AbortSignal.any([controller.signal, AbortSignal.timeout(DISCOVERY_TIMEOUT_MS)]),
        );
        options.logger.info({ ...label, issuer: provider.issuer }, 'OpenID provider discovered');
        return provider;
      } catch (err) {
        if (controller.signal.aborted)
          throw new Error('provider discovery stopped', { cause: err });
        retries.failed(
          { ...label, attempt, retry_in_ms: delay, issuer: options.issuer },
          'OpenID provider discovery failed; retrying',
          err,
        );
      }
      await sleep(delay, controller.signal);
      if (controller.signal.aborted) throw new Error('provider discovery stopped');
      delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
    }
  };
  const loaded = run();
  // Callers that never await `loaded` (the app) must not see an unhandled rejection on stop.
  loaded.catch(() => undefined);
  return { current: () => provider, loaded, stop: () => controller.abort() };
}
