import type { ProviderKind } from '../kinds/verified-identity.js';
import { isRoleName } from '../../users/role-name.js';

/** Group → roles, as `ProviderSettings.roleMap` holds it. */
export type RoleMap = ReadonlyMap<string, readonly string[]>;

/**
 * How a kind's groups compare with the map's keys. GitHub slugs (the kind lower-cases them)
 * and Workspace group emails (workspace-groups.ts lower-cases them) are case-insensitive by
 * nature, so their keys are lower-cased too. OpenID claim values (Entra object ids and app
 * role values, Keycloak, Okta and Authentik group names) are compared exactly: the provider
 * treats `Admins` and `admins` as two groups, and so do we.
 */
export function groupCaseFor(kind: ProviderKind): 'exact' | 'lower' {
  return kind === 'github' || kind === 'google' ? 'lower' : 'exact';
}

const EXAMPLE = 'e.g. eng-admins:admin,analysts:analyst';

/**
 * Parses a `<ID>_ROLE_MAP` value, a comma list of `group:role` entries (a group mapping to
 * several roles is repeated: `eng:admin,eng:analyst`), and reports every problem found through
 * `problem`, each naming the variable, before returning what was valid. Unset or empty is an
 * empty map.
 *
 * The entry splits at its first `:`, since a role may contain `:` (`reports:read`) and group
 * names in practice do not; a group containing `:` or `,` cannot be mapped. Group names may
 * contain inner spaces (Okta and Authentik names often do), but never leading or trailing
 * ones: `a:b, c:d` is reported, not silently trimmed.
 *
 * @example
 * parseRoleMap('OKTA_ROLE_MAP', 'eng-admins:admin,analysts:analyst', report);
 * // Map { 'eng-admins' => ['admin'], 'analysts' => ['analyst'] }
 */
export function parseRoleMap(
  name: string,
  value: string | undefined,
  problem: (message: string) => void,
  options: { groupCase?: 'exact' | 'lower' } = {},
): RoleMap {
  const map = new Map<string, string[]>();
  if (value === undefined || value === '') return map;
  value.split(',').forEach((entry, index) => {
    const where = `${name} entry ${index + 1}`;
    if (entry.trim() === '') {
      problem(`${where} is empty; remove the extra comma (${EXAMPLE})`);
      return;
    }
    const colon = entry.indexOf(':');
    if (colon < 0) {
      problem(`${where} ("${entry}") must be group:role (${EXAMPLE})`);
      return;
    }
    const rawGroup = entry.slice(0, colon);
    const role = entry.slice(colon + 1);
    let ok = true;
    if (rawGroup.trim() === '') {
      problem(`${where} ("${entry}") names no group before ":" (${EXAMPLE})`);
      ok = false;
    } else if (rawGroup !== rawGroup.trim()) {
      problem(`${where} ("${entry}"): remove the spaces around the group "${rawGroup.trim()}"`);
      ok = false;
    }
    if (role.trim() === '') {
      problem(`${where} ("${entry}") names no role after ":" (${EXAMPLE})`);
      ok = false;
    } else if (role !== role.trim() && isRoleName(role.trim())) {
      problem(`${where} ("${entry}"): remove the spaces around the role "${role.trim()}"`);
      ok = false;
    } else if (!isRoleName(role)) {
      problem(
        `${where} ("${entry}"): "${role}" is not a valid role (a letter, then letters, digits, _ : . -), e.g. admin`,
      );
      ok = false;
    }
    if (!ok) return;
    const group = options.groupCase === 'lower' ? rawGroup.toLowerCase() : rawGroup;
    const roles = map.get(group) ?? [];
    if (!roles.includes(role)) roles.push(role);
    map.set(group, roles);
  });
  return map;
}

/**
 * The roles `groups` map to: sorted, without duplicates; groups the map does not name map to
 * nothing. Compares exactly: the map's keys were lower-cased at parse time for the kinds
 * whose groups are lower-cased (groupCaseFor).
 *
 * @example
 * mapRoles(['analysts', 'eng-admins'], map) // ['admin', 'analyst']
 */
export function mapRoles(groups: Iterable<string>, map: RoleMap): string[] {
  const roles = new Set<string>();
  for (const group of groups) for (const role of map.get(group) ?? []) roles.add(role);
  return [...roles].sort();
}
