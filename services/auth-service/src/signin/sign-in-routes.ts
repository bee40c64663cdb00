import type Router from '@koa/router';
import { HttpError } from '@gatehouse/shared';
import grantModule from 'grant';
import type { Context, Middleware } from 'koa';
import { createAuthRouter } from '../http/auth-router.js';
import { LOGIN_PATH, connectPaths } from '../http/endpoints.js';
import type { UserDirectory } from '../users/user-directory.js';
import { auditSignIn } from './audit-sign-in.js';
import { checkCallback } from './check-callback.js';
import type { AdmissionPolicy } from './admit-user.js';
import { LAST_PROVIDER_COOKIE, renderChoicePage } from './choice-page.js';
import { completeSignIn } from './complete-sign-in.js';
import { buildGrantConfig } from './grant-config.js';
import type { BoundProvider } from './bound-provider.js';
import type { PendingSession } from './pending-sign-in.js';
import type { Fetch } from './provider/discover-provider.js';
import type { ProviderRegistry } from './provider-registry.js';
import { providerBound } from './provider-bound.js';
import { safeReturnTo } from './safe-return-to.js';
import type { ProviderRoles } from './roles/provider-roles.js';
import type { SignInMetrics } from './sign-in-metrics.js';

// grant is CommonJS; its typings describe the handlers on the default export.
const grant = grantModule.default;

/**
 * The sign-in flow, for each provider `id` PROVIDERS names:
 * GET /auth/login?provider=ID&returnTo=/path  keeps a safe returnTo in the session, then
 *   (without `provider`: the only provider, or with several a choice page);
 * GET /auth/connect/ID            grant: state, nonce, PKCE, 302 to the provider;
 * GET /auth/connect/ID/callback   checked, exchanged by grant, verified by the kind, admitted.
 * Only these grant paths of configured ids exist; any other `/auth/connect/...` is a 404 (no
 * router serves it), never grant's. A provider not reached yet answers 503 while the others work.
 */
export function signInRoutes(options: {
  config: {
    admission: AdmissionPolicy;
    linkByVerifiedEmail: boolean;
    publicUrl: string;
  };
  providers: ProviderRegistry;
  directory: UserDirectory;
  fetch: Fetch;
  now: () => number;
  /** How long one request to the provider (token, userinfo, JWKS) may take. */
  providerTimeoutMs: number;
  metrics?: SignInMetrics;
  /** Provider groups as roles (roles/provider-roles.ts). */
  roles: ProviderRoles;
}): Router {
  const bound = new Map(
    options.providers.all.map((registered) => [
      registered.settings.id,
      providerBound(registered.loader, (endpoints): BoundProvider => {
        const { settings, kind } = registered;
        return {
          registered,
          grant: grant.koa()({
            config: buildGrantConfig({
              id: settings.id,
              endpoints,
              clientId: settings.clientId,
              clientSecret: settings.clientSecret,
              scope: kind.scopes(settings),
              redirectUri: settings.redirectUri,
              promptConsent: kind.promptsConsent?.(settings) ?? false,
            }),
            // The token exchange: a provider that does not answer fails the sign-in with a 502.
            request: { timeout: options.providerTimeoutMs },
          }) as Middleware,
          identify: kind.identify(settings, endpoints, {
            fetch: options.fetch,
            now: options.now,
            timeoutMs: options.providerTimeoutMs,
          }),
        };
      }),
    ]),
  );
  const noStore: Middleware = async (ctx, next) => {
    await next();
    ctx.set('Cache-Control', 'no-store');
  };
  const router = createAuthRouter();
  router.get(LOGIN_PATH, noStore, (ctx) => {
    const returnTo = safeReturnTo(ctx.query.returnTo);
    const id = chosenProvider(ctx, options.providers);
    if (id === undefined) {
      ctx.type = 'html';
      ctx.body = renderChoicePage({
        providers: options.providers.all.map(({ settings }) => settings),
        lastUsed: ctx.cookies.get(LAST_PROVIDER_COOKIE),
        returnTo,
      });
      return;
    }
    // Unavailable providers answer 503 here, before a session is written.
    bound.get(id)!();
    const session = ctx.session as PendingSession;
    session.returnTo = returnTo;
    // A sign-in is never a link, whatever an earlier unfinished link left behind.
    delete session.linkTo;
    ctx.redirect(connectPaths(id).connect);
  });
  for (const [id, get] of bound) {
    const paths = connectPaths(id);
    const runGrant: Middleware = (ctx, next) => get().grant(ctx, next);
    router.get(paths.connect, noStore, runGrant);
    router.get(
      paths.callback,
      noStore,
      auditSignIn({ provider: id, metrics: options.metrics }),
      checkCallback(new URL(options.config.publicUrl).origin, id),
      runGrant,
      completeSignIn({
        provider: get,
        directory: options.directory,
        policy: options.config.admission,
        linkByVerifiedEmail: options.config.linkByVerifiedEmail,
        roles: options.roles,
        now: options.now,
      }),
    );
  }
  return router;
}

/**
 * The provider `/auth/login` starts: `?provider=ID` when PROVIDERS names it (else 400), the
 * only provider when there is one, else undefined (the choice page).
 */
function chosenProvider(ctx: Context, providers: ProviderRegistry): string | undefined {
  const asked = ctx.query.provider;
  if (asked === undefined || asked === '') {
    return providers.all.length === 1 ? providers.all[0]!.settings.id : undefined;
  }
  if (typeof asked !== 'string' || providers.get(asked) === undefined) {
    throw new HttpError(400, 'invalid_request', 'no sign-in provider has this id');
  }
  return asked;
}
