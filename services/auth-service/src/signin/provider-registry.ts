import type { Logger } from '@gatehouse/shared';
import { KINDS } from './kinds/kinds.js';
import type { KindModule, ProviderSettings } from './kinds/provider-kind.js';
import type { Fetch } from './provider/discover-provider.js';
import { loadProvider, type ProviderLoader, type Sleep } from './provider/provider-loader.js';

/** One configured provider: its settings, its kind's module, and its endpoints' loader. */
export interface RegisteredProvider {
  settings: ProviderSettings;
  kind: KindModule;
  loader: ProviderLoader;
}

/** Every configured provider, in PROVIDERS order. */
export interface ProviderRegistry {
  readonly all: readonly RegisteredProvider[];
  /** The provider with this id, or undefined when PROVIDERS does not name it. */
  get(id: string): RegisteredProvider | undefined;
  /** Stops every loader (shutdown). */
  stop(): void;
}

/**
 * Starts finding every provider's endpoints in the background, each on its own with its own
 * retries: one provider down never holds back the others.
 */
export function createProviderRegistry(
  providers: readonly ProviderSettings[],
  deps: { fetch: Fetch; logger: Logger; sleep?: Sleep; now?: () => number },
): ProviderRegistry {
  return registryOf(
    providers.map((settings) => {
      const kind = KINDS[settings.kind];
      const loader = loadProvider({
        id: settings.id,
        issuer: settings.issuer,
        backchannelUrl: settings.backchannelUrl,
        fetch: deps.fetch,
        discover: (signal) => kind.discover(settings, { fetch: deps.fetch, signal }),
        logger: deps.logger,
        sleep: deps.sleep,
        now: deps.now,
      });
      return { settings, kind, loader };
    }),
  );
}

/** A registry over providers already built (tests pass loaders of their own). */
export function registryOf(all: readonly RegisteredProvider[]): ProviderRegistry {
  const byId = new Map(all.map((provider) => [provider.settings.id, provider]));
  return {
    all,
    get: (id) => byId.get(id),
    stop: () => all.forEach((provider) => provider.loader.stop()),
  };
}
