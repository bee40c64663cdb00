import { scopeForRoles } from './scope-for-roles.js';

/**
 * Who bounds a grant besides the user: a registered client's scopes, or `first-party` for the
 * browser session (the web page is ours, so it gets everything the user may do).
 */
export type ScopeBound = readonly string[] | 'first-party';

/** What a user's access token may carry, decided once for every grant. */
export interface GrantedScope {
  /** Space-separated, sorted, no duplicates; empty when nothing is left. */
  readonly scope: string;
  /** The user's roles that `scope` grants: a role whose same-named scope is not in it is left out. */
  readonly roles: readonly string[];
}

/**
 * The one place a user token's scope and roles are decided (RFC 6749 section 3.3): the
 * intersection of
 * - what the client is registered for today (`registered`; `first-party` for the browser),
 * - what was asked for and approved (`requested`, space-separated; absent: all registered),
 * - what the user may do today: `api` and one scope per role (scope-for-roles.ts), each with
 *   the scopes under it (`api:read` is within `api`, `admin:read` within `admin`).
 * `roles` keeps only the roles whose same-named scope survived, so a role never grants more
 * than the scope: an admin who approved `api` gets no `admin` role.
 *
 * @example
 * grantedScope({ roles: ['admin'], registered: ['api:read'] }); // { scope: 'api:read', roles: [] }
 * grantedScope({ roles: ['admin'], registered: 'first-party' }); // { scope: 'admin api', roles: ['admin'] }
 */
export function grantedScope(grant: {
  roles: readonly string[];
  registered: ScopeBound;
  requested?: string | undefined;
}): GrantedScope {
  const held = scopeForRoles(grant.roles).split(' ');
  const asked =
    grant.requested !== undefined
      ? splitScope(grant.requested)
      : grant.registered === 'first-party'
        ? held
        : grant.registered;
  const registered = grant.registered;
  const scopes = [...new Set(asked)]
    .filter((s) => registered === 'first-party' || registered.includes(s))
    .filter((s) => held.some((h) => s === h || s.startsWith(`${h}:`)))
    .sort();
  return { scope: scopes.join(' '), roles: grant.roles.filter((role) => scopes.includes(role)) };
}

/** A space-separated scope as its scope-tokens (empty ones dropped). */
export function splitScope(scope: string): string[] {
  return scope.split(' ').filter((s) => s !== '');
}
