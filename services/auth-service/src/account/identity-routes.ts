import { HttpError } from '@gatehouse/shared';
import { readForm } from '@gatehouse/shared/koa';
import type Router from '@koa/router';
import { createAuthRouter } from '../http/auth-router.js';
import { ACCOUNT_LINK_PATH, ACCOUNT_UNLINK_PATH, connectPaths } from '../http/endpoints.js';
import { requireSignedInUser } from '../sessions/require-signed-in-user.js';
import type { PendingSession } from '../signin/pending-sign-in.js';
import type { UserDirectory } from '../users/user-directory.js';

/**
 * Linking and unlinking the signed-in user's identities (same-origin POSTs only: app.ts's
 * guard on every unsafe /auth request). Enforces:
 * - POST /auth/account/identities/link, form `provider=ID`: a provider PROVIDERS names (400
 *   otherwise); marks the session (`linkTo` = this user) and sends the browser (303; a script
 *   asking for JSON gets `{location}` to navigate to) through a fresh sign-in with that provider, whose callback links the identity to this user
 *   (signin/link-identity.ts) and returns to `/`. Never by email: the person proves the
 *   identity in this very session.
 * - POST /auth/account/identities/unlink, form `provider` and `subject` (in the body: an
 *   OpenID subject may hold `/` and any other character): 204; 404 `not_found` for an
 *   identity that is not this user's; 409 `last_identity` for the only one (a user must keep
 *   a way to sign in). Sessions and tokens already issued stay: unlinking removes a way in,
 *   it does not sign anyone out.
 */
export function identityRoutes(options: {
  directory: Pick<UserDirectory, 'findById' | 'unlink'>;
  providers: readonly { id: string }[];
}): Router {
  const { directory } = options;
  const known = new Set(options.providers.map((provider) => provider.id));
  const router = createAuthRouter();
  router.post(ACCOUNT_LINK_PATH, async (ctx) => {
    const { user } = await requireSignedInUser(ctx, directory);
    const provider = (await readForm(ctx, { limitBytes: 1024 })).get('provider') ?? '';
    if (!known.has(provider)) {
      throw new HttpError(400, 'invalid_request', 'no sign-in provider has this id');
    }
    const session = ctx.session as PendingSession;
    session.linkTo = user.id;
    session.returnTo = '/';
    ctx.set('Cache-Control', 'no-store');
    const next = connectPaths(provider).connect;
    if (ctx.accepts('html', 'json') === 'json') {
      ctx.body = { location: next };
      return;
    }
    ctx.status = 303;
    ctx.redirect(next);
  });
  router.post(ACCOUNT_UNLINK_PATH, async (ctx) => {
    const { user } = await requireSignedInUser(ctx, directory);
    const form = await readForm(ctx, { limitBytes: 2048 });
    const provider = form.get('provider') ?? '';
    const subject = form.get('subject') ?? '';
    if (provider === '' || subject === '') {
      throw new HttpError(400, 'invalid_request', 'provider and subject are required');
    }
    const result = await directory.unlink(user.id, provider, subject);
    if (result === 'unknown') {
      throw new HttpError(404, 'not_found', 'no such identity is linked to your account');
    }
    if (result === 'last') {
      throw new HttpError(
        409,
        'last_identity',
        'this is the only way you sign in; link another provider first',
      );
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });
  return router;
}
