import { HttpError, type Logger } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { DEVICE_CODE_GRANT, type ClientRegistry } from '../clients/client.js';
import type { DeviceConfig } from './device-config.js';
import type { DeviceAuthorizationStore } from './device-authorization-store.js';
import {
  CODE_MATCHES,
  renderDevicePage,
  type ConfirmView,
  type DevicePageView,
} from './device-page.js';
import type { GuessLimiter } from './guess-limiter.js';
import { startDeviceAuthorization } from './start-device-authorization.js';
import { normalizeUserCode } from './user-code.js';
import type { AuthenticateClient } from '../clients/authenticate-client.js';
import { clientRequest } from '../clients/client-request.js';
import { oauthError } from '../../http/oauth-error.js';
import { grantedScope } from '../../tokens/granted-scope.js';
import { requireSignedInUser } from '../../sessions/require-signed-in-user.js';
import { isSignedInSession } from '../../sessions/signed-in-session.js';
import type { User } from '../../users/user.js';
import { createAuthRouter } from '../../http/auth-router.js';
import { readOAuthForm } from '../../http/read-oauth-form.js';
import { DEVICE_AUTHORIZATION_PATH, DEVICE_PATH, LOGIN_PATH } from '../../http/endpoints.js';

/**
 * The device flow's two halves (RFC 8628):
 * POST /auth/device_authorization  a client (form: `client_id`, optional `scope` within the
 *   client's) gets a device code and a user code; `Cache-Control: no-store`;
 * GET /auth/device[?user_code=]    the person: signs in first (the existing flow, back here
 *   after), enters or confirms the code and sees which client asks for what: the scope the
 *   token will carry for them (tokens/granted-scope.ts), not merely what was asked;
 * POST /auth/device                approve or deny, same-origin only (app.ts's guard);
 *   approve only with `code_matches=yes`, the person's word that the device shows this code
 *   (RFC 8628 section 5.4: a link may carry someone else's code), else the page asks again.
 * Wrong codes, at either step, spend the signed-in user's guess budget (device/guess-limiter.ts);
 * a code is decided once, then no longer found.
 */
export function deviceRoutes(options: {
  config: { publicUrl: string; device: DeviceConfig };
  clients: Pick<ClientRegistry, 'find'>;
  authenticate: AuthenticateClient;
  devices: DeviceAuthorizationStore;
  directory: { findById(id: string): Promise<User | undefined> };
  guesses: GuessLimiter;
  now: () => number;
}): Router {
  const { clients, authenticate, devices, directory, guesses, now } = options;
  const verificationUri = new URL(DEVICE_PATH, options.config.publicUrl).href;
  const router = createAuthRouter();

  router.post(DEVICE_AUTHORIZATION_PATH, async (ctx) => {
    const form = await readOAuthForm(ctx);
    const client = await authenticate(clientRequest(ctx, form), { grantType: DEVICE_CODE_GRANT });
    const scope = form.get('scope') ?? client.scopes.join(' ');
    if (scope.split(' ').some((s) => !client.scopes.includes(s))) {
      throw oauthError('invalid_scope', `scope must be within "${client.scopes.join(' ')}"`);
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await startDeviceAuthorization({
      devices,
      client,
      scope,
      verificationUri,
      ttlSeconds: options.config.device.codeTtl,
      intervalSeconds: options.config.device.pollInterval,
      now: now(),
    });
  });

  router.get(DEVICE_PATH, async (ctx) => {
    if (!isSignedInSession(ctx.session)) {
      ctx.redirect(`${LOGIN_PATH}?returnTo=${encodeURIComponent(ctx.originalUrl)}`);
      return;
    }
    const { user } = await requireSignedInUser(ctx, directory);
    const typed = ctx.query.user_code;
    if (typed === undefined || typed === '') return page(ctx, 200, { kind: 'enter' });
    const device = await lookUp(ctx, user, typed);
    if (!device) return;
    page(ctx, 200, await confirmation(device, user));
  });

  router.post(DEVICE_PATH, async (ctx) => {
    const { user } = await requireSignedInUser(ctx, directory);
    const form = await readOAuthForm(ctx);
    const decision = form.get('decision');
    if (decision !== 'approve' && decision !== 'deny') {
      throw new HttpError(400, 'invalid_request', 'decision must be approve or deny');
    }
    const device = await lookUp(ctx, user, form.get('user_code') ?? '');
    if (!device) return;
    const approved = decision === 'approve';
    if (approved && form.get(CODE_MATCHES) !== 'yes') {
      return page(ctx, 400, {
        ...(await confirmation(device, user)),
        problem: 'Tick the box only if your device shows this code, then approve.',
      });
    }
    if (
      !(await devices.decide(device.userCode, approved ? 'approved' : 'denied', user.id, now()))
    ) {
      return page(ctx, 400, { kind: 'enter', problem: 'That code was decided already.' });
    }
    (ctx.state.log as Logger).info(
      {
        audit: approved ? 'device_approved' : 'device_denied',
        sub: user.id,
        client_id: device.clientId,
      },
      approved ? 'device login approved' : 'device login denied',
    );
    page(ctx, 200, { kind: 'done', approved });
  });

  /** The page that shows who asks for what and the code, to be compared with the device's. */
  async function confirmation(
    device: { userCode: string; clientId: string; scope: string },
    user: User,
  ): Promise<ConfirmView> {
    const client = await clients.find(device.clientId);
    if (!client) throw new HttpError(400, 'invalid_client', 'the requesting client is gone');
    return {
      kind: 'confirm',
      userCode: device.userCode,
      client,
      scope: grantedScope({ roles: user.roles, registered: client.scopes, requested: device.scope })
        .scope,
      email: user.email,
    };
  }

  /** The pending request behind a typed code, or a 400 page (and a guess spent by `user`). */
  async function lookUp(ctx: Context, user: User, typed: unknown) {
    await guesses.check(user.id);
    const code = normalizeUserCode(typed);
    const device = code === undefined ? undefined : await devices.findPending(code, now());
    if (!device) {
      await guesses.wrong(user.id);
      page(ctx, 400, {
        kind: 'enter',
        problem: 'That code is not valid, has expired or was used already. Check your terminal.',
      });
    }
    return device;
  }

  return router;
}

function page(ctx: Context, status: number, view: DevicePageView): void {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = renderDevicePage(view);
}
