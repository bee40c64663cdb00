import { MAX_CLOCK_TOLERANCE_SECONDS } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { KeyStore } from '../keys/key-store.js';
import type { CounterStore } from '../limits/counter-store.js';
import { createAccessTokenIssuer } from '../tokens/access-token-issuer.js';
import type { TokenConfig } from '../tokens/token-config.js';
import { createOwnTokenVerifier } from '../tokens/verify-own-access-token.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { ClientRegistry } from './clients/client.js';
import type { DeviceAuthorizationStore } from './device/device-authorization-store.js';
import type { DeviceConfig } from './device/device-config.js';
import { deviceRoutes } from './device/device-routes.js';
import {
  createGuessLimiter,
  DEFAULT_GUESS_LIMITS,
  type GuessLimits,
} from './device/guess-limiter.js';
import {
  createClientAuthentication,
  type ClientAuthLimits,
} from './clients/authenticate-client.js';
import { createTokenGrants } from './grants/token-grants.js';
import { tokenRoutes } from './grants/token-routes.js';
import { createTokenIntrospection } from './introspection/introspect-token.js';
import { introspectionRoutes } from './introspection/introspection-routes.js';
import { serverMetadata } from './metadata/server-metadata.js';
import { wellKnownRoutes } from './metadata/well-known-routes.js';
import type { RefreshTokens } from './refresh/refresh-tokens.js';
import { revocationFeedRoutes } from './revocation-feed/revocation-feed-routes.js';
import type { RevocationStore } from './revocation-feed/revocation-store.js';
import { createTokenRevocation } from './revocation/revoke-token.js';
import { revocationRoutes } from './revocation/revocation-routes.js';

/** What the OAuth server needs: its part of the Config, its stores, keys and clock. */
export interface OAuthServerOptions {
  config: { publicUrl: string; tokens: TokenConfig; device: DeviceConfig };
  stores: {
    clients: ClientRegistry;
    devices: DeviceAuthorizationStore;
    directory: UserDirectory;
    revocations: RevocationStore;
  };
  /** Signs access tokens and feeds the JWKS (keys/open-key-store.ts). */
  keyStore: KeyStore;
  /** Refresh families, shared with the account page, which revokes them too. */
  refresh: RefreshTokens;
  /** Guess and failure counters (limits/counter-store.ts). */
  counters: CounterStore;
  now: () => number;
  /** Wrong user-code budget; DEFAULT_GUESS_LIMITS unless a test narrows it. */
  guessLimits?: GuessLimits | undefined;
  /** Failed client authentication budget; DEFAULT_CLIENT_AUTH_LIMITS unless narrowed. */
  clientAuthLimits?: ClientAuthLimits | undefined;
  /**
   * Re-reads a user's provider groups before a refresh (signin/roles/provider-roles.ts);
   * absent when no provider's groups can be read without the person.
   */
  rereadRoles?: ((userId: string) => Promise<void>) | undefined;
}

/**
 * The OAuth server's routers: published keys and metadata, the token endpoint (the browser
 * session's token and the grants), the device flow, revocation, introspection and the
 * revocation feed. Every client-facing endpoint authenticates clients the same way.
 *
 * @example
 * app.use(dispatchByPath([...oauthRoutes({ config, stores, keyStore, refresh, counters, now })]));
 */
export function oauthRoutes(options: OAuthServerOptions): Router[] {
  const { config, stores, keyStore, refresh, counters, now } = options;
  const issue = createAccessTokenIssuer({ tokens: config.tokens, keyStore, now });
  const verifyAccessToken = createOwnTokenVerifier({ tokens: config.tokens, keyStore, now });
  // A token just past `exp` is still accepted where clocks lag: revoking it must still count.
  const verifyRevocable = createOwnTokenVerifier({
    tokens: config.tokens,
    keyStore,
    now,
    clockTolerance: MAX_CLOCK_TOLERANCE_SECONDS,
  });
  const authenticate = createClientAuthentication({
    clients: stores.clients,
    now,
    limits: options.clientAuthLimits,
    counters,
  });
  const { devices, directory, revocations } = stores;
  const grants = createTokenGrants({
    authenticate,
    devices,
    directory,
    refresh,
    issue,
    now,
    rereadRoles: options.rereadRoles,
  });
  const metadata = serverMetadata({
    issuer: config.tokens.issuer,
    publicUrl: config.publicUrl,
    grantTypes: grants.types,
  });
  const guesses = createGuessLimiter(options.guessLimits ?? DEFAULT_GUESS_LIMITS, now, counters);
  return [
    wellKnownRoutes({ tokens: config.tokens, keyStore, metadata }),
    tokenRoutes({ directory, issue, grants }),
    deviceRoutes({
      config,
      clients: stores.clients,
      authenticate,
      devices,
      directory,
      guesses,
      now,
    }),
    revocationRoutes({
      authenticate,
      revoke: createTokenRevocation({
        refresh,
        verifyAccessToken: verifyRevocable,
        revocations,
        now,
      }),
    }),
    introspectionRoutes({
      authenticate,
      introspect: createTokenIntrospection({
        clients: stores.clients,
        directory,
        refresh,
        verifyAccessToken,
        revocations,
        issuer: config.tokens.issuer,
      }),
    }),
    revocationFeedRoutes({ revocations }),
  ];
}
