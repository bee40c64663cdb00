import type Router from '@koa/router';
import type { HttpMetrics, Logger } from '@gatehouse/shared';
import type { KeyStore } from '../keys/key-store.js';
import { createAccessTokenIssuer } from '../tokens/access-token-issuer.js';
import type { TokenConfig } from '../tokens/token-config.js';
import type { UserDirectory } from '../users/user-directory.js';
import { gatewayPassRoutes } from './gateway-pass-routes.js';
import type { Fetch } from './provider/discover-provider.js';
import type { ProviderRegistry } from './provider-registry.js';
import { createCredentialSeal } from './roles/credential-seal.js';
import { createProviderRoles } from './roles/provider-roles.js';
import { createSignInMetrics } from './sign-in-metrics.js';
import { signInRoutes } from './sign-in-routes.js';

/**
 * Browser sign-in as an area: every configured provider's sign-in and callback, their groups
 * as roles, and the gateway pass. Returns its routers and the refresh-time re-read of provider
 * groups, which the OAuth server's refresh grant calls (undefined when nothing can be re-read).
 *
 * @example
 * const signIn = signInArea({ config, providers, directory, keyStore, fetch, now, logger });
 * signIn.routers; // /auth/login, /auth/connect/<id>[/callback], /auth/pass
 */
export function signInArea(options: {
  /** The Config's sign-in part (config/sign-in-env.ts) and its token settings. */
  config: Parameters<typeof signInRoutes>[0]['config'] & {
    session: { keys: readonly string[]; secureCookie: boolean };
    tokens: TokenConfig;
  };
  providers: ProviderRegistry;
  directory: UserDirectory;
  keyStore: KeyStore;
  fetch: Fetch;
  now: () => number;
  logger: Logger;
  metrics: HttpMetrics | undefined;
  /** How long one request to a provider (token, userinfo, JWKS) may take. */
  providerTimeoutMs: number;
}): { routers: Router[]; rereadRoles: ((userId: string) => Promise<void>) | undefined } {
  const { config, providers, directory, fetch, now, providerTimeoutMs } = options;
  const roles = createProviderRoles({
    providers: providers.all,
    directory,
    // server.ts fills in the development key when SESSION_KEYS is unset.
    seal: config.session.keys.length > 0 ? createCredentialSeal(config.session.keys) : undefined,
    fetch,
    now,
    timeoutMs: providerTimeoutMs,
    logger: options.logger,
  });
  return {
    routers: [
      signInRoutes({
        config,
        providers,
        directory,
        fetch,
        now,
        providerTimeoutMs,
        metrics: options.metrics && createSignInMetrics(options.metrics.registry),
        roles,
      }),
      gatewayPassRoutes({
        publicUrl: config.publicUrl,
        secureCookie: config.session.secureCookie,
        directory,
        issue: createAccessTokenIssuer({ tokens: config.tokens, keyStore: options.keyStore, now }),
      }),
    ],
    rereadRoles: roles.reread,
  };
}
