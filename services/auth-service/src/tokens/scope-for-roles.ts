/** The scope every signed-in user's token carries: it may call the API at all. */
export const BASE_SCOPE = 'api';

/** RFC 6749 section 3.3 scope-token characters: printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The access token's `scope`: `api` plus one scope per directory role, named as the role
 * (`admin` role → `admin` scope), so an API can check either the `roles` claim or the scope.
 * Roles that cannot be scope tokens are left out of `scope` (they stay in `roles`).
 *
 * @example
 * scopeForRoles(['admin']) // 'admin api'
 */
export function scopeForRoles(roles: readonly string[]): string {
  const scopes = new Set([BASE_SCOPE, ...roles.filter((role) => SCOPE_TOKEN.test(role))]);
  return [...scopes].sort().join(' ');
}
