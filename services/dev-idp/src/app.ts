import {
  denyFraming,
  errorHandler,
  favicon,
  internalRoutes,
  requestContext,
} from '@gatehouse/shared/koa';
import type Provider from 'oidc-provider';
import type { Logger } from '@gatehouse/shared';
import { createAccountStore, type AccountStore } from './accounts/account-store.js';
import { PRODUCTION_REFUSED, type Config } from './config.js';
import { errorPage } from './html/error-page.js';
import { interactionRoutes } from './interaction/interaction-routes.js';
import { pinOriginToIssuer } from './middleware/pin-origin-to-issuer.js';
import { createProvider } from './provider/create-provider.js';
import { generateDevKeys, type DevKeys } from './provider/generate-dev-keys.js';
import { logProviderErrors } from './provider/log-provider-errors.js';

export interface AppDeps {
  logger: Logger;
  /** Clock for stored-state expiry; defaults to Date.now. */
  now?: () => number;
  /** Key material; generated when omitted (the normal case). */
  keys?: DevKeys;
  accounts?: AccountStore;
}

/**
 * The dev-idp as a Koa app: oidc-provider (itself a Koa application) with the request
 * context, `/healthz` and `/readyz`, and the sign-in page mounted in front of its routes.
 * Never listens. Refuses a production configuration even when handed one directly.
 *
 * @example
 * const app = createApp(loadConfig(env), { logger });
 * await serve(app.callback(), { port: 0 });
 */
export function createApp(config: Config, deps: AppDeps): Provider {
  if (config.nodeEnv === 'production') throw new Error(PRODUCTION_REFUSED);
  const { logger } = deps;
  const keys = deps.keys ?? generateDevKeys();
  if (!deps.keys) {
    logger.warn(
      { kid: keys.signingKey.kid },
      'DEVELOPMENT signing keys generated in memory: id_tokens stop verifying after a restart',
    );
  }
  const accounts = deps.accounts ?? createAccountStore();
  const provider = createProvider(config, { accounts, keys, now: deps.now });
  logProviderErrors(provider, logger);
  provider.use(requestContext({ logger }));
  // The sign-in form and every other page (oidc-provider's own included) stay out of frames.
  provider.use(denyFraming());
  provider.use(pinOriginToIssuer(config.issuer));
  provider.use(internalRoutes({}));
  provider.use(favicon());
  // Browsers get the error as a page, API clients as JSON.
  provider.use(errorHandler({ html: (body) => errorPage(body.error, body.error_description) }));
  provider.use(interactionRoutes(provider, accounts, { issuer: config.issuer }));
  return provider;
}
