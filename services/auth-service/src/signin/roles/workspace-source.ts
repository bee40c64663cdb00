import type { RereadSource } from './reread-roles.js';
import type { RoleMap } from './role-map.js';
import { WorkspaceGroupsError } from './workspace-groups-error.js';
import type { WorkspaceGroups } from './workspace-groups.js';

/**
 * A google-kind provider's Workspace groups as a re-read source (reread-roles.ts), looked up
 * by the identity's email (verified at its last sign-in), as oauth2-proxy does; an identity
 * without one is refused.
 *
 * `userKey: 'subject'` looks up by the identity's subject instead: the Directory API accepts a
 * user's immutable id as `userKey`, and a Google account's `sub` is meant to be that id (check
 * it against a real tenant before relying on it: a mismatch fails closed, every lookup 404).
 * It guards against "conflicting accounts": a consumer Google account registered with a
 * Workspace address has a verified email but no `hd`, and a lookup by email would hand it the
 * Workspace user's groups. By email, the sign-in must read Workspace groups only when the
 * id_token carries `hd`, and the same person's re-read relies on that.
 */
export function workspaceSource(
  roleMap: RoleMap,
  groupsOf: WorkspaceGroups,
  options: { userKey?: 'email' | 'subject' } = {},
): RereadSource {
  return {
    roleMap,
    readGroups(identity) {
      if (options.userKey === 'subject') return groupsOf(identity.subject);
      if (identity.email === null) {
        return Promise.reject(
          new WorkspaceGroupsError('refused', 'the identity has no email to look its groups up by'),
        );
      }
      return groupsOf(identity.email);
    },
  };
}
