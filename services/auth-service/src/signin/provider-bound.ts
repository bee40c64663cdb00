import { HttpError } from '@gatehouse/shared';
import type { ProviderLoader } from './provider/provider-loader.js';
import type { ProviderEndpoints } from './provider/openid-provider.js';

/**
 * `build(provider)` run once, when the provider has been discovered; until then the returned
 * getter throws 503, so sign-in answers cleanly while `/readyz` reports unready.
 */
export function providerBound<T>(
  loader: ProviderLoader,
  build: (provider: ProviderEndpoints) => T,
): () => T {
  let built: T | undefined;
  return () => {
    if (built !== undefined) return built;
    const provider = loader.current();
    if (!provider) {
      throw new HttpError(
        503,
        'temporarily_unavailable',
        'sign-in with this provider is not available yet: it has not been reached',
      );
    }
    built = build(provider);
    return built;
  };
}
