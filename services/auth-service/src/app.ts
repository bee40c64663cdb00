import {
  createReadiness,
  MAX_CLOCK_TOLERANCE_SECONDS,
  type HttpMetrics,
  type Logger,
  type ReadinessReport,
} from '@gatehouse/shared';
import { denyFraming, errorHandler, internalRoutes, requestContext } from '@gatehouse/shared/koa';
import Koa, { type Middleware } from 'koa';
import type { Config } from './config.js';
import type { KeyStore } from './keys/key-store.js';
import { SIGNING_ALGS } from './keys/signing-alg.js';
import { issuerMetadata } from './oauth/metadata/issuer-metadata.js';
import { rateLimit } from './http/rate-limit.js';
import { requireSameOrigin } from './http/require-same-origin.js';
import type { Fetch } from './signin/provider/discover-provider.js';
import type { ProviderLoader } from './signin/provider/provider-loader.js';
import { mountRouter } from './http/auth-router.js';
import { sessionRoutes } from './sessions/session-routes.js';
import { signInRoutes } from './signin/sign-in-routes.js';
import { TOKEN_PATH, tokenRoutes } from './oauth/grants/token-routes.js';
import {
  ASSERTION_JWKS_PATH,
  JWKS_PATH,
  wellKnownRoutes,
} from './oauth/metadata/well-known-routes.js';
import { sessionMiddleware } from './sessions/session-middleware.js';
import type { SessionStore } from './sessions/session-store.js';
import { renderErrorPage } from './signin/error-page.js';
import { ACCESS_TOKEN_CLAIMS, createAccessTokenIssuer } from './tokens/access-token-issuer.js';
import { BASE_SCOPE } from './tokens/scope-for-roles.js';
import type { UserDirectory } from './users/user-directory.js';
import type { ClientRegistry } from './oauth/clients/client.js';
import type { DeviceAuthorizationStore } from './oauth/device/device-authorization-store.js';
import {
  createGuessLimiter,
  DEFAULT_GUESS_LIMITS,
  type GuessLimits,
} from './oauth/device/guess-limiter.js';
import {
  createClientAuthentication,
  type ClientAuthLimits,
} from './oauth/grants/authenticate-client.js';
import { createTokenGrants } from './oauth/grants/token-grants.js';
import { createTokenIntrospection } from './oauth/introspection/introspect-token.js';
import { isOAuthClientRequest, isOAuthEndpoint } from './http/oauth-client-request.js';
import type { RefreshTokenStore } from './oauth/refresh/refresh-token-store.js';
import { createRefreshTokens } from './oauth/refresh/refresh-tokens.js';
import { recordEndedAccess, revocationLifetimeMs } from './oauth/revocation-feed/ended-access.js';
import type { RevocationStore } from './oauth/revocation-feed/revocation-store.js';
import { createTokenRevocation } from './oauth/revocation/revoke-token.js';
import {
  INTROSPECTION_PATH,
  introspectionRoutes,
} from './oauth/introspection/introspection-routes.js';
import {
  REVOCATIONS_PATH,
  revocationFeedRoutes,
} from './oauth/revocation-feed/revocation-feed-routes.js';
import { createOwnTokenVerifier } from './tokens/verify-own-access-token.js';
import { DEVICE_AUTHORIZATION_PATH, deviceRoutes } from './oauth/device/device-routes.js';
import { REVOCATION_PATH, revocationRoutes } from './oauth/revocation/revocation-routes.js';
import { createAccountActions } from './account/account-actions.js';
import { accountRoutes } from './account/account-routes.js';
import { adminRoutes } from './account/admin-routes.js';
import type { CounterStore } from './limits/counter-store.js';
import { createMemoryCounterStore } from './limits/memory-counter-store.js';

/** A provider request that takes longer fails the sign-in with a 502. */
const PROVIDER_TIMEOUT_MS = 10_000;

/** Everything the app uses from outside; tests pass doubles. */
export interface AppDeps {
  logger: Logger;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** For server-to-server calls to the provider (discovery, JWKS, userinfo). */
  fetch: Fetch;
  provider: ProviderLoader;
  directory: UserDirectory;
  sessions: SessionStore;
  /** Signing keys (keys/open-key-store.ts): signs access tokens, feeds the JWKS. */
  keys: KeyStore;
  /** Registered OAuth clients (clients/client.ts). */
  clients: ClientRegistry;
  /** RFC 8628 device authorizations. */
  devices: DeviceAuthorizationStore;
  refreshTokens: RefreshTokenStore;
  /**
   * The revocation feed (revocation/revocation-store.ts): every event that ends access records
   * there, GET /auth/.well-known/revocations publishes it to the APIs.
   */
  revocations: RevocationStore;
  /** Rate-limit and guess counters (limits/counter-store.ts); process memory by default. */
  counters?: CounterStore;
  /** Wrong user-code budget; DEFAULT_GUESS_LIMITS unless a test narrows it. */
  guessLimits?: GuessLimits;
  /** Failed client authentication budget; DEFAULT_CLIENT_AUTH_LIMITS unless a test narrows it. */
  clientAuthLimits?: ClientAuthLimits;
  metrics?: HttpMetrics;
  /** Resolves when the shared database answers (PostgreSQL); `/readyz` reports it. */
  database?: () => Promise<void>;
  /** How long one request to the provider (token, userinfo, JWKS) may take; default 10 s. */
  providerTimeoutMs?: number;
}

/**
 * The auth-service as a Koa app (never listening). Pipeline: request context, the framing
 * guard for every HTML page, the error renderer (JSON, or HTML for browsers on their pages),
 * internal endpoints at the root, the rate limit, the same-origin guard for unsafe methods under /auth, the session (only meaningful under
 * /auth, where its cookie lives), then the /auth routes (strict, case-sensitive).
 */
export function createApp(config: Config, deps: AppDeps): Koa {
  // The gateway overwrites X-Forwarded-For with the client's socket address: trust that one
  // hop only, never entries a client wrote before it.
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 });
  const database = deps.database;
  const readiness: () => Promise<ReadinessReport> = createReadiness({
    provider: async () => {
      if (!deps.provider.current()) throw new Error('OpenID provider not discovered yet');
    },
    ...(database && { database: () => database() }),
  });

  app.use(requestContext({ logger: deps.logger, metrics: deps.metrics }));
  // Every page, error pages included, stays out of frames (clickjacking of /auth/device).
  app.use(denyFraming());
  // HTML error pages for browsers, but never on an OAuth endpoint: its clients read JSON.
  app.use(errorHandler({ html: renderErrorPage, jsonOnly: isOAuthEndpoint }));
  app.use(internalRoutes({ readiness, metrics: deps.metrics }));
  const counters = deps.counters ?? createMemoryCounterStore();
  app.use(rateLimit({ limit: config.tokens.rateLimit, now: deps.now, counters }));
  // Every state-changing request under /auth, including routes added later, is same-origin.
  app.use(underAuth(requireSameOrigin(config.publicUrl, isOAuthClientRequest)));
  app.use(sessionMiddleware(app, config.session, deps.sessions));

  const signIn = signInRoutes({
    config,
    provider: deps.provider,
    directory: deps.directory,
    fetch: deps.fetch,
    now: deps.now,
    providerTimeoutMs: deps.providerTimeoutMs ?? PROVIDER_TIMEOUT_MS,
  });
  const issue = createAccessTokenIssuer({
    tokens: config.tokens,
    keyStore: deps.keys,
    now: deps.now,
  });
  const ended = recordEndedAccess({
    revocations: deps.revocations,
    now: deps.now,
    // Client credentials tokens live at most ACCESS_TOKEN_TTL (config/token-env.ts).
    lifetimeMs: revocationLifetimeMs(config.tokens.accessTokenTtl),
    logger: deps.logger,
  });
  const refreshTokens = createRefreshTokens({
    store: deps.refreshTokens,
    now: deps.now,
    ended,
  });
  const authenticate = createClientAuthentication({
    clients: deps.clients,
    now: deps.now,
    limits: deps.clientAuthLimits,
    counters,
  });
  const revocations = deps.revocations;
  const verifyAccessToken = createOwnTokenVerifier({
    tokens: config.tokens,
    keyStore: deps.keys,
    now: deps.now,
  });
  // A token just past `exp` is still accepted where clocks lag: revoking it must still count.
  const verifyRevocable = createOwnTokenVerifier({
    tokens: config.tokens,
    keyStore: deps.keys,
    now: deps.now,
    clockTolerance: MAX_CLOCK_TOLERANCE_SECONDS,
  });
  const grants = createTokenGrants({
    authenticate,
    devices: deps.devices,
    directory: deps.directory,
    refreshTokens,
    issue,
    now: deps.now,
  });
  const keys = wellKnownRoutes({
    tokens: config.tokens,
    keyStore: deps.keys,
    metadata: issuerMetadata({
      issuer: config.tokens.issuer,
      publicUrl: config.publicUrl,
      signingAlgs: SIGNING_ALGS,
      // A new endpoint or grant is listed here, beside the router that serves it.
      endpoints: {
        jwks_uri: JWKS_PATH,
        revocation_feed_uri: REVOCATIONS_PATH,
        assertion_jwks_uri: ASSERTION_JWKS_PATH,
        token_endpoint: TOKEN_PATH,
        device_authorization_endpoint: DEVICE_AUTHORIZATION_PATH,
        revocation_endpoint: REVOCATION_PATH,
        introspection_endpoint: INTROSPECTION_PATH,
      },
      // The OAuth grants the token endpoint dispatches to (the browser's session needs none).
      grantTypes: grants.types,
      // Sign-in (/auth/login) is the browser's own, not an authorization endpoint for clients,
      // so no response type yields a code or token. RFC 8414 still requires the member, and
      // validators (Authlib) refuse `[]` as missing. `none` (OAuth 2.0 Multiple Response Type
      // Encoding Practices, section 4: nothing is issued) is the one registered value that is
      // true of this server; `code` would invite an authorization code flow it does not run
      // (no authorization_endpoint, no authorization_code grant).
      responseTypes: ['none'],
      endpointAuthMethods: {
        token: ['none', 'client_secret_basic', 'client_secret_post'],
        revocation: ['none', 'client_secret_basic', 'client_secret_post'],
        // Public clients cannot introspect (introspection/introspect-token.ts).
        introspection: ['client_secret_basic', 'client_secret_post'],
      },
      scopes: [BASE_SCOPE],
      claims: ACCESS_TOKEN_CLAIMS,
    }),
  });
  const tokens = tokenRoutes({ directory: deps.directory, issue, grants });
  const device = deviceRoutes({
    config,
    clients: deps.clients,
    authenticate,
    devices: deps.devices,
    directory: deps.directory,
    guesses: createGuessLimiter(deps.guessLimits ?? DEFAULT_GUESS_LIMITS, deps.now, counters),
    now: deps.now,
  });
  const revocation = revocationRoutes({
    authenticate,
    revoke: createTokenRevocation({
      refreshTokens,
      verifyAccessToken: verifyRevocable,
      revocations,
      now: deps.now,
    }),
  });
  const introspection = introspectionRoutes({
    authenticate,
    introspect: createTokenIntrospection({
      clients: deps.clients,
      directory: deps.directory,
      refreshTokens,
      verifyAccessToken,
      revocations,
      issuer: config.tokens.issuer,
    }),
  });
  const actions = createAccountActions({
    sessions: deps.sessions,
    refreshTokens: deps.refreshTokens,
    devices: deps.devices,
    directory: deps.directory,
    now: deps.now,
    ended,
  });
  const account = accountRoutes({
    directory: deps.directory,
    sessions: deps.sessions,
    refreshTokens: deps.refreshTokens,
    clients: deps.clients,
    actions,
    now: deps.now,
  });
  const admin = adminRoutes({ directory: deps.directory, actions });
  const session = sessionRoutes({ directory: deps.directory, actions });
  const feed = revocationFeedRoutes({ revocations: deps.revocations });
  const routers = [
    signIn,
    session,
    keys,
    tokens,
    device,
    revocation,
    introspection,
    account,
    admin,
    feed,
  ];
  for (const router of routers) {
    mountRouter(app, router);
  }
  return app;
}

/** Runs `middleware` for paths under /auth (any letter case); other paths pass through. */
function underAuth(middleware: Middleware): Middleware {
  return (ctx, next) => (/^\/auth(\/|$)/i.test(ctx.path) ? middleware(ctx, next) : next());
}
