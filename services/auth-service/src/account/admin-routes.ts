import { HttpError, type Logger } from '@gatehouse/shared';
import type Router from '@koa/router';
import type { AccountActions } from './account-actions.js';
import { requireSignedInUser } from '../sessions/require-signed-in-user.js';
import type { User } from '../users/user.js';
import type { UserDirectory } from '../users/user-directory.js';
import { userStatus } from '../users/user-status.js';
import { createAuthRouter } from '../http/auth-router.js';
import { ADMIN_USER_DISABLE_PATH, ADMIN_USERS_PATH } from '../http/endpoints.js';

/** The directory role that may use these routes. */
export const ADMIN_ROLE = 'admin';

/**
 * The account page's administration, for a signed-in user whose directory entry has role
 * `admin` now (401 `login_required` when signed out, 403 `forbidden` without the role):
 * - GET /auth/admin/users: every directory entry, with its `status` (users/user-status.ts),
 *   its `directory_roles` (what administrators set; `roles` also holds mapped ones) and its
 *   linked `identities` (provider, email, last sign-in with it);
 * - POST /auth/admin/users/{id}/disable: disables the user and ends their sessions, grants
 *   and access tokens (account-actions.ts); 204, 404 `not_found` for an unknown id, 400
 *   `invalid_request` for the admin's own id (disabling oneself would lock the page out).
 */
export function adminRoutes(options: {
  directory: Pick<UserDirectory, 'findById' | 'list' | 'identities'>;
  actions: AccountActions;
}): Router {
  const { directory, actions } = options;
  const router = createAuthRouter();
  router.get(ADMIN_USERS_PATH, async (ctx) => {
    await requireAdmin(ctx);
    ctx.set('Cache-Control', 'no-store');
    const users = await directory.list();
    const identities = await Promise.all(users.map((user) => directory.identities(user.id)));
    ctx.body = {
      users: users.map((user, i) => ({
        sub: user.id,
        email: user.email,
        name: user.name,
        roles: user.roles,
        directory_roles: user.directoryRoles,
        disabled: user.disabled,
        // The same answer as `npm run users -- list`: active, disabled or not_signed_in.
        status: userStatus(user),
        created_at: new Date(user.createdAt).toISOString(),
        last_sign_in_at: isoTime(user.lastSignInAt),
        identities: identities[i]!.map((identity) => ({
          provider: identity.provider,
          email: identity.email,
          last_sign_in_at: isoTime(identity.lastSignInAt),
        })),
      })),
    };
  });
  router.post(ADMIN_USER_DISABLE_PATH, async (ctx) => {
    const admin = await requireAdmin(ctx);
    const target = await directory.findById(ctx.params.id!);
    if (!target) throw new HttpError(404, 'not_found', 'no such user');
    if (target.id === admin.id) {
      throw new HttpError(400, 'invalid_request', 'an administrator cannot disable themselves');
    }
    await actions.disableUser(target);
    (ctx.state.log as Logger).info(
      { audit: 'user_disabled', sub: target.id, by: admin.id },
      'user disabled',
    );
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  });

  async function requireAdmin(ctx: Parameters<typeof requireSignedInUser>[0]): Promise<User> {
    const { user } = await requireSignedInUser(ctx, directory);
    if (!user.roles.includes(ADMIN_ROLE)) {
      throw new HttpError(403, 'forbidden', `the ${ADMIN_ROLE} role is required`);
    }
    return user;
  }
  return router;
}

function isoTime(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}
