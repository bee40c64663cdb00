import { HttpError } from '@gatehouse/shared';
import { readForm, type ReadFormOptions } from '@gatehouse/shared/koa';
import type { Context, Middleware } from 'koa';
import type Provider from 'oidc-provider';
import type { Logger } from '@gatehouse/shared';
import type { AccountStore } from '../accounts/account-store.js';
import { INTERACTION_PATH } from '../provider/create-provider.js';
import { DEFAULT_PROFILE, parseSignInForm } from './sign-in-form.js';
import { renderSignInPage } from './sign-in-page.js';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** A sign-in form post: at most 8 KiB, so it cannot be used to fill memory. */
const SIGN_IN_FORM: ReadFormOptions = { limitBytes: 8 * 1024, requireFormType: true };

const ROUTE = new RegExp(`^${INTERACTION_PATH}/([A-Za-z0-9_-]{1,64})$`);

/**
 * GET and POST `/interaction/:uid`, the sign-in page oidc-provider sends the browser to.
 * Enforces:
 * - the interaction exists and is bound to this browser (oidc-provider's interaction cookie,
 *   SameSite=Lax, path-scoped to this uid) and to the uid in the path;
 * - a POST comes from this origin (Origin and Sec-Fetch-Site, when sent), 403 otherwise;
 * - only the login prompt is answered here; consent is granted by `loadOrGrantConsent`.
 */
export function interactionRoutes(
  provider: Provider,
  accounts: AccountStore,
  options: { issuer: string },
): Middleware {
  const ownOrigin = new URL(options.issuer).origin;
  return async (ctx, next) => {
    const uid = ROUTE.exec(ctx.path)?.[1];
    if (uid === undefined) return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method === 'GET' || ctx.method === 'HEAD') return showSignIn(ctx, uid);
    if (ctx.method === 'POST') {
      requireSameOrigin(ctx, ownOrigin);
      return submitSignIn(ctx, uid);
    }
    throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed here`, {
      headers: { Allow: 'GET, HEAD, POST' },
    });
  };

  async function showSignIn(ctx: Context, uid: string): Promise<void> {
    const details = await loginInteraction(ctx, uid);
    const previous = details.session ? accounts.profileOf(details.session.accountId) : undefined;
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    const shown = previous ?? DEFAULT_PROFILE;
    ctx.type = 'html';
    ctx.body = renderSignInPage({
      action: ctx.path,
      clientName: String(details.params.client_id),
      email: hint || shown.email,
      name: shown.name,
      unverified: !shown.emailVerified,
    });
  }

  async function submitSignIn(ctx: Context, uid: string): Promise<void> {
    const details = await loginInteraction(ctx, uid);
    const submission = parseSignInForm(await readForm(ctx, SIGN_IN_FORM));
    if (!submission.profile) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = renderSignInPage({
        action: ctx.path,
        clientName: String(details.params.client_id),
        ...submission.values,
        problems: submission.problems,
      });
      return;
    }
    const accountId = accounts.remember(submission.profile);
    const returnTo = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { login: { accountId } },
      { mergeWithLastSubmission: false },
    );
    (ctx.state.log as Logger | undefined)?.info(
      { sub: accountId, email_verified: submission.profile.emailVerified },
      'developer signed in at the dev-idp',
    );
    ctx.status = 303;
    ctx.redirect(returnTo);
  }

  async function loginInteraction(ctx: Context, uid: string): Promise<Interaction> {
    let details: Interaction;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch (err) {
      throw new HttpError(
        400,
        'invalid_request',
        'this sign-in has expired or was started in another browser; start again from the application',
        { cause: err },
      );
    }
    if (details.uid !== uid) {
      throw new HttpError(400, 'invalid_request', 'this sign-in page belongs to another sign-in');
    }
    if (details.prompt.name !== 'login') {
      throw new HttpError(
        400,
        'invalid_request',
        `the dev-idp cannot answer a ${details.prompt.name} prompt`,
      );
    }
    return details;
  }
}

function requireSameOrigin(ctx: Context, ownOrigin: string): void {
  const origin = ctx.get('Origin');
  const site = ctx.get('Sec-Fetch-Site');
  if ((origin && origin !== ownOrigin) || (site && site !== 'same-origin')) {
    throw new HttpError(
      403,
      'cross_site_request',
      'the sign-in form must be posted from this page',
    );
  }
}
