import { createIssuerDiscovery } from './issuer-discovery.js';
import { TokenError } from './token-error.js';
import type { ResolvedVerifierOptions } from './token-verifier-options.js';
import type { TokenVerifier } from './token-verifier-interface.js';

/**
 * Reads the unset URLs from the issuer's metadata on first use (or `ready()`), then delegates
 * to a verifier built with them. A metadata without a revocation feed, when revocation was not
 * turned off, is a configuration error: every token gets 503 and the log says what to set.
 */
export function createDiscoveringVerifier(
  config: ResolvedVerifierOptions,
  url: string,
  build: (jwksUrl: string, revocationsUrl: string | undefined) => TokenVerifier,
): TokenVerifier {
  const discovery = createIssuerDiscovery({
    url,
    issuer: config.issuer[0]!,
    fetch: config.fetch,
    now: config.now,
    timeoutMs: config.jwksTimeoutMs,
    retryMs: 1000,
    logger: config.logger,
  });
  let inner: TokenVerifier | undefined;
  let closed = false;
  let warned = false;
  const built = async (): Promise<TokenVerifier> => {
    if (inner) return inner;
    const found = await discovery.endpoints();
    const revocationsUrl = config.revocationsUrl ?? found.revocationsUrl;
    if (revocationsUrl === undefined) {
      if (!warned) {
        warned = true;
        config.logger.warn(
          { url },
          'the issuer metadata names no revocation_feed_uri: set revocationsUrl (false accepts revoked tokens until they expire)',
        );
      }
      throw new TokenError('keys_unavailable', 'the signing keys could not be obtained');
    }
    inner ??= build(config.jwksUrl ?? found.jwksUrl, revocationsUrl || undefined);
    if (closed) inner.close();
    return inner;
  };
  // Start at once, as the revocation follower of a configured verifier does.
  built().catch(() => {});
  return {
    verify: async (token) => (await built()).verify(token),
    ready: async () => (await built()).ready(),
    revocations: () => inner?.revocations(),
    close: () => {
      closed = true;
      inner?.close();
    },
    stats: () =>
      inner?.stats() ?? {
        jwksFetches: 0,
        jwksFailures: 0,
        keys: 0,
        jwksFetchedAt: undefined,
        cachedTokens: 0,
      },
  };
}
