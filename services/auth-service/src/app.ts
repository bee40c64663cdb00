import { createReadiness, type HttpMetrics, type Logger } from '@gatehouse/shared';
import { denyFraming, errorHandler, internalRoutes, requestContext } from '@gatehouse/shared/koa';
import Koa, { type Context, type Middleware } from 'koa';
import { accountArea } from './account/account-area.js';
import type { Config } from './config.js';
import type { Stores } from './db/open-stores.js';
import { dispatchByPath } from './http/dispatch-by-path.js';
import { isOAuthClientRequest, isOAuthEndpoint } from './http/oauth-client-request.js';
import { rateLimit } from './http/rate-limit.js';
import { requireSameOrigin } from './http/require-same-origin.js';
import type { KeyStore } from './keys/key-store.js';
import { createMemoryCounterStore } from './limits/memory-counter-store.js';
import { oauthRoutes, type OAuthServerOptions } from './oauth/oauth-routes.js';
import { createRefreshTokens } from './oauth/refresh/refresh-tokens.js';
import { recordEndedAccess, revocationLifetimeMs } from './oauth/revocation-feed/ended-access.js';
import { sessionMiddleware } from './sessions/session-middleware.js';
import { sessionRoutes } from './sessions/session-routes.js';
import { renderErrorPage } from './signin/error-page.js';
import type { Fetch } from './signin/provider/discover-provider.js';
import type { ProviderRegistry } from './signin/provider-registry.js';
import { clearGatewayPass } from './signin/gateway-pass-routes.js';
import { signInArea } from './signin/sign-in-area.js';

/** A provider request that takes longer fails the sign-in with a 502. */
const PROVIDER_TIMEOUT_MS = 10_000;

/** The stores the app reads and writes (db/open-stores.ts); counters default to process memory. */
export type AppStores = Pick<
  Stores,
  'directory' | 'sessions' | 'clients' | 'devices' | 'refreshTokens' | 'revocations'
> &
  Partial<Pick<Stores, 'counters'>>;

/** Everything the app uses from outside; tests pass doubles. */
export interface AppDeps extends Pick<OAuthServerOptions, 'guessLimits' | 'clientAuthLimits'> {
  logger: Logger;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** For server-to-server calls to the provider (discovery, JWKS, userinfo). */
  fetch: Fetch;
  /** The identity providers PROVIDERS names (signin/provider/provider-registry.ts). */
  providers: ProviderRegistry;
  stores: AppStores;
  /** Signing keys (keys/open-key-store.ts): signs access tokens, feeds the JWKS. */
  keyStore: KeyStore;
  metrics?: HttpMetrics;
  /** Resolves when the shared database answers (PostgreSQL); `/readyz` reports it. */
  database?: () => Promise<void>;
  /** How long one request to the provider (token, userinfo, JWKS) may take; default 10 s. */
  providerTimeoutMs?: number;
}

/**
 * The auth-service as a Koa app (never listening). Pipeline: request context, the framing
 * guard for every HTML page, the error renderer (JSON, or HTML for browsers on their pages),
 * internal endpoints at the root, the rate limit, the same-origin guard for unsafe methods
 * under /auth, the session (only meaningful under /auth, where its cookie lives; never for an
 * OAuth client's form post); then the one router serving the path, among each area's /auth
 * routers (strict, case-sensitive): sign-in, the session, the OAuth server, the account page.
 */
export function createApp(config: Config, deps: AppDeps): Koa {
  const { stores, now, logger } = deps;
  // The gateway overwrites X-Forwarded-For with the client's socket address: trust that one
  // hop only, never entries a client wrote before it.
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 });
  const counters = stores.counters ?? createMemoryCounterStore();
  app.use(requestContext({ logger, metrics: deps.metrics }));
  // Every page, error pages included, stays out of frames (clickjacking of /auth/device).
  app.use(denyFraming());
  // HTML error pages for browsers, but never on an OAuth endpoint: its clients read JSON.
  app.use(errorHandler({ html: renderErrorPage, jsonOnly: isOAuthEndpoint }));
  app.use(internalRoutes({ readiness: readiness(deps), metrics: deps.metrics }));
  app.use(rateLimit({ limit: config.tokens.rateLimit, now, counters }));
  // Every state-changing request under /auth, including routes added later, is same-origin.
  app.use(underAuth(requireSameOrigin(config.publicUrl, isOAuthClientRequest)));
  // OAuth clients' form posts never read the session (oauth-client-request.ts): no cookie
  // parsing or session lookup for them.
  app.use(unless(isOAuthClientRequest, sessionMiddleware(app, config.session, stores.sessions)));

  // Client credentials tokens live at most ACCESS_TOKEN_TTL (config/token-env.ts).
  const lifetimeMs = revocationLifetimeMs(config.tokens.accessTokenTtl);
  const ended = recordEndedAccess({ revocations: stores.revocations, now, lifetimeMs, logger });
  const refresh = createRefreshTokens({ store: stores.refreshTokens, now, ended });
  const account = accountArea({ stores, refresh, ended, now, providers: config.providers });
  const { providers, fetch, keyStore, guessLimits, clientAuthLimits } = deps;
  const signIn = signInArea({
    config,
    providers,
    directory: stores.directory,
    keyStore,
    fetch,
    now,
    logger,
    metrics: deps.metrics,
    providerTimeoutMs: deps.providerTimeoutMs ?? PROVIDER_TIMEOUT_MS,
  });
  const secureCookie = config.session.secureCookie;
  const routers = [
    ...signIn.routers,
    sessionRoutes({
      directory: stores.directory,
      actions: account.actions,
      clearPass: (ctx) => clearGatewayPass(ctx, config.publicUrl, secureCookie),
    }),
    ...oauthRoutes({
      config,
      stores,
      keyStore,
      refresh,
      counters,
      now,
      guessLimits,
      clientAuthLimits,
      rereadRoles: signIn.rereadRoles,
    }),
    ...account.routers,
  ];
  app.use(dispatchByPath(routers));
  return app;
}

/**
 * `/readyz`: at least one identity provider reached (one down must not take sign-in down for
 * the others; `details.providers` says which are), and the shared database answering when
 * there is one.
 */
function readiness({ providers, database }: AppDeps) {
  const reached = () =>
    Object.fromEntries(
      providers.all.map(({ settings, loader }) => [settings.id, loader.current() !== undefined]),
    );
  return createReadiness(
    {
      provider: async () => {
        if (!Object.values(reached()).some(Boolean)) {
          throw new Error('no identity provider discovered yet');
        }
      },
      ...(database && { database: () => database() }),
    },
    undefined,
    () => ({ providers: reached() }),
  );
}

/** Runs `middleware` except for requests `skip` names, which pass straight on. */
function unless(skip: (ctx: Context) => boolean, middleware: Middleware): Middleware {
  return (ctx, next) => (skip(ctx) ? next() : middleware(ctx, next));
}

/** Runs `middleware` for paths under /auth (any letter case); other paths pass through. */
function underAuth(middleware: Middleware): Middleware {
  return (ctx, next) => (/^\/auth(\/|$)/i.test(ctx.path) ? middleware(ctx, next) : next());
}
