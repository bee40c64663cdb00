import type { VerifierLogger } from './jwks-cache.js';
import { TokenError } from './token-error.js';

/** What a verifier reads from the issuer's metadata. */
export interface DiscoveredEndpoints {
  readonly jwksUrl: string;
  /** The issuer's revocation feed; undefined when its metadata names none. */
  readonly revocationsUrl: string | undefined;
}

/** Bytes of metadata read at most: a document this size is already suspicious. */
const MAX_METADATA_BYTES = 64 * 1024;

/**
 * Reads the issuer's metadata (OpenID Discovery location) once and keeps what it found for the
 * life of the process. Enforces:
 * - the document's `issuer` is exactly the configured one (RFC 8414 section 3.3), so a
 *   metadata document cannot point this verifier at another issuer's keys;
 * - `jwks_uri` and, when present, `revocation_feed_uri` are absolute http(s) URLs;
 * - one request in flight however many callers wait, and after a failure at most one attempt
 *   per `retryMs`; failures are logged at their start and surface as `keys_unavailable` (503).
 *
 * @example
 * const discovery = createIssuerDiscovery({ url, issuer, fetch, now, timeoutMs: 3000, retryMs: 1000, logger });
 * const { jwksUrl, revocationsUrl } = await discovery.endpoints();
 */
export function createIssuerDiscovery(options: {
  url: string;
  issuer: string;
  fetch: typeof globalThis.fetch;
  now: () => number;
  timeoutMs: number;
  retryMs: number;
  logger: VerifierLogger;
}): { endpoints(): Promise<DiscoveredEndpoints> } {
  let found: DiscoveredEndpoints | undefined;
  let running: Promise<DiscoveredEndpoints> | undefined;
  let failure: { at: number; error: TokenError } | undefined;

  async function read(): Promise<DiscoveredEndpoints> {
    const res = await options.fetch(options.url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!res.ok) throw new Error(`the issuer metadata answered ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_METADATA_BYTES) throw new Error('the issuer metadata is too large');
    const metadata = JSON.parse(text) as Record<string, unknown>;
    if (metadata.issuer !== options.issuer) {
      throw new Error(`the issuer metadata names another issuer (${String(metadata.issuer)})`);
    }
    const feed = metadata.revocation_feed_uri;
    if (!isHttpUrl(metadata.jwks_uri)) throw new Error('the issuer metadata has no jwks_uri');
    if (feed !== undefined && !isHttpUrl(feed)) {
      throw new Error('the issuer metadata has a malformed revocation_feed_uri');
    }
    return { jwksUrl: metadata.jwks_uri, revocationsUrl: feed };
  }

  return {
    endpoints() {
      if (found) return Promise.resolve(found);
      if (failure && options.now() - failure.at < options.retryMs) {
        return Promise.reject(failure.error);
      }
      running ??= read()
        .then((endpoints) => {
          if (failure) options.logger.warn({ url: options.url }, 'issuer metadata read');
          failure = undefined;
          return (found = endpoints);
        })
        .catch((err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          if (!failure) {
            options.logger.warn({ url: options.url, err: message }, 'issuer metadata unreadable');
          }
          const error = new TokenError(
            'keys_unavailable',
            'the signing keys could not be obtained',
            {
              cause: err,
            },
          );
          failure = { at: options.now(), error };
          throw error;
        })
        .finally(() => (running = undefined));
      return running;
    },
  };
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
