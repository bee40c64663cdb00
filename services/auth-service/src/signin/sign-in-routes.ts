import type Router from '@koa/router';
import { createAuthRouter } from '../http/auth-router.js';
import grantModule from 'grant';
import type { Middleware } from 'koa';
import type { Fetch } from './provider/discover-provider.js';
import type { ProviderLoader } from './provider/provider-loader.js';
import { auditSignIn } from './audit-sign-in.js';
import { checkCallback } from './check-callback.js';
import type { AdmissionPolicy } from './admit-user.js';
import { completeSignIn } from './complete-sign-in.js';
import { buildGrantConfig } from './grant-config.js';
import type { PendingSession } from './pending-sign-in.js';
import { providerBound } from './provider-bound.js';
import { safeReturnTo } from './safe-return-to.js';
import { createIdTokenVerifier } from './verify-id-token.js';
import type { UserDirectory } from '../users/user-directory.js';
import { GOOGLE_CALLBACK_PATH, GOOGLE_CONNECT_PATH, LOGIN_PATH } from '../http/endpoints.js';

// grant is CommonJS; its typings describe the handlers on the default export.
const grant = grantModule.default;

/**
 * The sign-in flow:
 * GET /auth/login?returnTo=/path  keeps a safe returnTo in the session, then
 * GET /auth/connect/google        grant: state, nonce, PKCE, 302 to the provider;
 * GET /auth/connect/google/callback  checked, exchanged by grant, verified, admitted.
 * Only these two grant paths exist; any other `/auth/connect/...` is a 404, never grant's.
 */
export function signInRoutes(options: {
  /** The Config's provider client and admission policy (config/sign-in-env.ts). */
  config: {
    google: { clientId: string; clientSecret: string; redirectUri: string };
    admission: AdmissionPolicy;
  };
  provider: ProviderLoader;
  directory: UserDirectory;
  fetch: Fetch;
  now: () => number;
  /** How long one request to the provider (token, userinfo, JWKS) may take. */
  providerTimeoutMs: number;
}): Router {
  const { config } = options;
  const bound = providerBound(options.provider, (provider) => ({
    provider,
    grant: grant.koa()({
      config: buildGrantConfig({
        provider,
        clientId: config.google.clientId,
        clientSecret: config.google.clientSecret,
        redirectUri: config.google.redirectUri,
      }),
      // The token exchange: a provider that does not answer fails the sign-in with a 502.
      request: { timeout: options.providerTimeoutMs },
    }) as Middleware,
    verifyIdToken: createIdTokenVerifier({
      provider,
      clientId: config.google.clientId,
      fetch: options.fetch,
      now: options.now,
      timeoutMs: options.providerTimeoutMs,
    }),
  }));
  const runGrant: Middleware = (ctx, next) => bound().grant(ctx, next);
  const noStore: Middleware = async (ctx, next) => {
    await next();
    ctx.set('Cache-Control', 'no-store');
  };

  const router = createAuthRouter();
  router.get(LOGIN_PATH, noStore, (ctx) => {
    bound();
    (ctx.session as PendingSession).returnTo = safeReturnTo(ctx.query.returnTo);
    ctx.redirect(GOOGLE_CONNECT_PATH);
  });
  router.get(GOOGLE_CONNECT_PATH, noStore, runGrant);
  router.get(
    GOOGLE_CALLBACK_PATH,
    noStore,
    auditSignIn(),
    checkCallback(new URL(config.google.redirectUri).origin),
    runGrant,
    completeSignIn({
      bound,
      directory: options.directory,
      policy: config.admission,
      fetch: options.fetch,
      now: options.now,
      timeoutMs: options.providerTimeoutMs,
    }),
  );
  return router;
}
